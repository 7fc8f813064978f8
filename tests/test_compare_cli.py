"""``rnncheck compare``: each gradient's relative error against autograd, and both times.

A correct implementation (manual/) agrees everywhere; a module with one bug
shows a large error for exactly the gradient it gets wrong.
"""
import os

import pytest

from conftest import SUBMISSIONS, patched, run_cli

from rnncheck.front import compare_cli

SMALL = "N=3,T=4,D=5,H=6,V=7,M=8"


def compare(capsys, *args):
    """(exit status, {(layer, value): relative error or problem text}) of one in-process run."""
    code = compare_cli.main(["--shape", SMALL, "--repeat", "1", *args])
    rows, layer = {}, None
    for line in capsys.readouterr().out.splitlines()[3:-1]:
        words = line.split()
        if line[:1] != " ":
            layer, words = words[0], words[1:]
        name, shown = words[0], words[1]
        rows[(layer, name)] = float(shown) if shown != "-" else " ".join(words[2:])
    return code, rows


def test_manual_agrees_with_autograd_on_every_output_and_gradient(capsys):
    code, rows = compare(capsys)
    assert code == 0
    assert {layer for layer, _ in rows} == {layer.name for layer in compare_cli.WITH_GRADIENTS}
    assert ("lstm", "dWh") in rows and ("temporal_softmax_loss", "dx") in rows and ("gru_step", "dprev_h") in rows
    assert max(rows.values()) < 1e-12


def test_a_module_that_averages_db_shows_a_large_error_in_db_only(capsys, tmp_path):
    module = patched(os.path.join(SUBMISSIONS, "wrong", "rnn_step_backward_db_mean.py"), tmp_path)
    code, rows = compare(capsys, "--module", module, "--layer", "rnn_step,rnn")
    assert code == 1
    assert rows[("rnn_step", "db")] == pytest.approx(2 / 3, abs=0.01)  # divided by N = 3 instead of summed
    assert rows[("rnn", "db")] > 0.1  # rnn_backward calls the wrong step
    assert max(error for (_, name), error in rows.items() if name != "db") < 1e-12


def test_a_wrongly_shaped_gradient_is_named_with_both_shapes(capsys, tmp_path):
    module = patched(os.path.join(SUBMISSIONS, "wrong", "temporal_affine_backward_dw_transposed.py"), tmp_path)
    code, rows = compare(capsys, "--module", module, "--layer", "temporal_affine")
    assert code == 1
    assert rows[("temporal_affine", "dw")] == "shape (8, 5), expected (5, 8)"
    assert rows[("temporal_affine", "dx")] < 1e-12


def test_functions_the_module_does_not_define_are_reported_not_compared(capsys, write):
    module = write("only_sigmoid.py", "import numpy as np\n\ndef sigmoid(x):\n    return 1 / (1 + np.exp(-x))\n")
    code, rows = compare(capsys, "--module", module, "--layer", "lstm")
    assert code == 1
    assert rows == {("lstm", "h"): "lstm_forward and lstm_backward not defined"}


@pytest.mark.parametrize("args, message", [
    (["--layer", "sigmoid"], "not a layer with gradients"),
    (["--shape", "N=0"], "--shape"),
    (["--shape", "Q=3"], "--shape"),
    (["--module", "no/such/file.py"], "no such file"),
])
def test_usage_errors_exit_2_with_the_reason(capsys, args, message):
    assert compare_cli.main(args) == 2
    assert message in capsys.readouterr().err


def test_the_subcommand_runs_from_the_command_line_and_rnncheck_help_mentions_it():
    done = run_cli("compare", "--shape", SMALL, "--repeat", "1", "--layer", "gru")
    assert done.returncode == 0, done.stderr
    assert "manual against autograd" in done.stdout and "all 6 values agree" in done.stdout
    assert "rnncheck compare --help" in run_cli("--help").stdout
