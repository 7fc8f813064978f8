"""The built-in course ``dlai``: deeplearning.ai's "Building your Recurrent Neural Network - Step by Step".

The oracle reproduces the notebook's printed expected values; real student
notebooks of every edition (``submissions/dlai/``, provenance in its
MANIFEST.tsv) get the verdicts of an independent finite-difference check
(``truth`` column), except where this file says why not; the course is
recognised without ``--course``; CS231n's known mistakes are named in the
notebook's words; a correct solution passes whatever the seed.
"""
import csv
import os

import numpy as np
import pytest
from autograd import make_vjp
from autograd.builtins import tuple as traced_tuple
from conftest import BASE, ROOT, SUBMISSIONS, run_cli, statuses, verdicts

from rnncheck import courses
from rnncheck.judge import errormap, recognise
from rnncheck.judge.mistakes import MISTAKES
from rnncheck.load import which_course
from rnncheck.load.loader import from_bytes
from rnncheck.reference import dlai as graphs

DLAI = os.path.join(SUBMISSIONS, "dlai")
CORRECT = os.path.join(DLAI, "correct_no_import.py")
ORDER = ("rnn_cell_forward", "rnn_forward", "lstm_cell_forward", "lstm_forward",
         "rnn_cell_backward", "rnn_backward", "lstm_cell_backward", "lstm_backward")
COURSE = courses.load("dlai")


# ---------------------------------------------------------------- the declaration

def test_the_course_asks_for_the_four_forwards_and_checks_the_backwards_when_written():
    assert COURSE.functions == ("rnn_cell_forward", "rnn_cell_backward", "rnn_forward", "rnn_backward",
                                "lstm_cell_forward", "lstm_cell_backward", "lstm_forward", "lstm_backward")
    assert COURSE.required == ("rnn_cell_forward", "rnn_forward", "lstm_cell_forward", "lstm_forward")
    lstm = COURSE.layer_of("lstm_backward")
    assert lstm.outputs == ("a", "y", "c") and lstm.gradient_of == ("a",) and lstm.returns == "dict"
    assert lstm.grads == ("dx", "da0", "dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo")
    assert COURSE.layer_of("lstm_cell_backward").grads[:3] == ("dxt", "da_prev", "dc_prev")
    assert COURSE.layer_of("rnn_cell_backward").grads == ("dxt", "da_prev", "dWax", "dWaa", "dba")
    assert lstm.arguments() == [("x", None), ("a0", None),
                                ("parameters", ("Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo", "bo", "Wy", "by"))]
    assert lstm.time_axis == 2 and lstm.inputs[0].shape == ("D", "N", "T")


def test_rnn_utils_ships_inside_the_package_as_the_course_support():
    [path] = COURSE.support_files()
    assert os.path.isfile(path) and path.endswith(os.path.join("rnncheck", "courses", "dlai_support", "rnn_utils.py"))
    scope = {}
    exec(compile(open(path, encoding="utf-8").read(), path, "exec"), scope)
    assert scope["softmax"](np.array([[1.0, 0.0], [1.0, 0.0]])).tolist() == [[0.5, 0.5], [0.5, 0.5]]
    assert COURSE.preamble.strip() == "from rnn_utils import *"


# ---------------------------------------------------------------- the oracle against the notebook's printed values

def draw(*shapes):
    np.random.seed(1)
    return [np.random.randn(*shape) for shape in shapes]


def lstm_parameters(values):
    return dict(zip(("Wf", "bf", "Wi", "bi", "Wo", "bo", "Wc", "bc"), values))


def test_the_forward_graphs_print_the_notebooks_expected_values():
    xt, a_prev, Waa, Wax, Wya, ba, by = draw((3, 10), (5, 10), (5, 5), (5, 3), (2, 5), (5, 1), (2, 1))
    a_next, yt = graphs.rnn_cell(xt, a_prev, dict(Wax=Wax, Waa=Waa, Wya=Wya, ba=ba, by=by))
    assert np.allclose(a_next[4][:3], [0.59584544, 0.18141802, 0.61311866]) and np.isclose(yt[1][0], 0.9888161)
    x, a0, Waa, Wax, Wya, ba, by = draw((3, 10, 4), (5, 10), (5, 5), (5, 3), (2, 5), (5, 1), (2, 1))
    a, y = graphs.rnn(x, a0, dict(Wax=Wax, Waa=Waa, Wya=Wya, ba=ba, by=by))
    assert np.allclose(a[4][1], [-0.99999375, 0.77911235, -0.99861469, -0.99833267])
    assert np.allclose(y[1][3], [0.79560373, 0.86224861, 0.11118257, 0.81515947])
    xt, a_prev, c_prev, *rest = draw((3, 10), (5, 10), (5, 10), *[(5, 8), (5, 1)] * 4, (2, 5), (2, 1))
    parameters = dict(lstm_parameters(rest[:8]), Wy=rest[8], by=rest[9])
    a_next, c_next, yt = graphs.lstm_cell(xt, a_prev, c_prev, parameters)
    assert np.isclose(a_next[4][0], -0.66408471) and np.isclose(c_next[2][0], 0.63267805)
    assert np.isclose(yt[1][0], 0.79913913)
    x, a0, *rest = draw((3, 10, 7), (5, 10), *[(5, 8), (5, 1)] * 4, (2, 5), (2, 1))
    a, y, c = graphs.lstm(x, a0, dict(lstm_parameters(rest[:8]), Wy=rest[8], by=rest[9]))
    assert np.isclose(a[4][3][6], 0.172117767533) and np.isclose(y[1][4][3], 0.95087346185)
    assert np.isclose(c[1][2][1], -0.855544916718)


def vjp_of_hidden_states(graph, *arguments, upstream):
    """Gradients of sum(upstream * hidden states) (and cell state) w.r.t. (x, state..., parameters)."""
    count = len(arguments)
    vjp, outputs = make_vjp(lambda *a: traced_tuple(graph(*a)), argnum=tuple(range(count)))(*arguments)
    return vjp(tuple(list(upstream) + [np.zeros_like(out) for out in outputs[len(upstream):]]))


def test_the_reference_gradients_are_the_2021_notebooks_expected_values():
    xt, a_prev, Wax, Waa, Wya, ba, by, da_next = draw((3, 10), (5, 10), (5, 3), (5, 5), (2, 5), (5, 1), (2, 1),
                                                      (5, 10))
    dxt, da_prev, dp = vjp_of_hidden_states(graphs.rnn_cell, xt, a_prev, dict(Wax=Wax, Waa=Waa, Wya=Wya, ba=ba, by=by),
                                            upstream=[da_next])
    assert np.isclose(dxt[1][2], -1.3872130506) and np.isclose(da_prev[2][3], -0.152399493774)
    assert np.isclose(dp["Wax"][3][1], 0.410772824935) and np.isclose(dp["Waa"][1][2], 1.15034506685)
    assert np.isclose(dp["ba"][4][0], 0.20023491)
    x, a0, Wax, Waa, Wya, ba, by, da = draw((3, 10, 4), (5, 10), (5, 3), (5, 5), (2, 5), (5, 1), (2, 1), (5, 10, 4))
    dx, da0, dp = vjp_of_hidden_states(graphs.rnn, x, a0, dict(Wax=Wax, Waa=Waa, Wya=Wya, ba=ba, by=by), upstream=[da])
    assert np.allclose(dx[1][2], [-2.07101689, -0.59255627, 0.02466855, 0.01483317])
    assert np.isclose(da0[2][3], -0.314942375127) and np.isclose(dp["Wax"][3][1], 11.2641044965)
    assert np.isclose(dp["Waa"][1][2], 2.30333312658) and np.isclose(dp["ba"][4][0], -0.74747722)
    xt, a_prev, c_prev, *rest = draw((3, 10), (5, 10), (5, 10), *[(5, 8), (5, 1)] * 4, (2, 5), (2, 1), (5, 10), (5, 10))
    parameters = dict(lstm_parameters(rest[:8]), Wy=rest[8], by=rest[9])
    dxt, da_prev, dc_prev, dp = vjp_of_hidden_states(graphs.lstm_cell, xt, a_prev, c_prev, parameters,
                                                     upstream=rest[10:])
    assert np.isclose(dxt[1][2], 3.23055911511) and np.isclose(da_prev[2][3], -0.0639621419711)
    assert np.isclose(dc_prev[2][3], 0.797522038797) and np.isclose(dp["Wf"][3][1], -0.147954838164)
    assert np.isclose(dp["Wi"][1][2], 1.05749805523) and np.isclose(dp["Wc"][3][1], 2.30456216369)
    assert np.isclose(dp["Wo"][1][2], 0.331311595289) and np.isclose(dp["bo"][4][0], 0.13893342)
    dx, da0, dp = vjp_of_hidden_states(graphs.lstm, *lstm_backward_test_cell(), upstream=[lstm_backward_da()])
    assert np.allclose(dx[1][2], [0.00218254, 0.28205375, -0.48292508, -0.43281115])
    assert np.isclose(da0[2][3], 0.312770310257) and np.isclose(dp["Wf"][3][1], -0.0809802310938)
    assert np.isclose(dp["Wi"][1][2], 0.40512433093) and np.isclose(dp["Wc"][3][1], -0.0793746735512)
    assert np.isclose(dp["Wo"][1][2], 0.038948775763) and np.isclose(dp["bf"][4][0], -0.15745657)
    assert np.isclose(dp["bi"][4][0], -0.50848333) and np.isclose(dp["bc"][4][0], -0.42510818)
    assert np.isclose(dp["bo"][4][0], -0.17958196)


def lstm_backward_test_cell():
    """The lstm_backward test cell (2018 and 2021 draw the same stream; Wy, by are zeros in 2021).

    ``da`` has T=4 for a forward of T_x=7: the backward uses the first four steps, so the forward is cut there.
    """
    x, a0, *rest = draw((3, 10, 7), (5, 10), *[(5, 8), (5, 1)] * 4)
    return x[:, :, :4], a0, dict(lstm_parameters(rest), Wy=np.zeros((2, 5)), by=np.zeros((2, 1)))


def lstm_backward_da():
    draw((3, 10, 7), (5, 10), *[(5, 8), (5, 1)] * 4)
    return np.random.randn(5, 10, 4)


def test_the_2018_printed_lstm_backward_is_the_known_mistake_without_recurrence():
    """EDITIONS: the 2018 (and v3a) expected dx, da0, dWf... are a backward that carries neither da_prev nor dc_prev."""
    [mistake] = [m for m in MISTAKES if m.id == "lstm_backward_no_recurrence"]
    layer, (x, a0, parameters) = COURSE.layer_of("lstm_backward"), lstm_backward_test_cell()
    leaves = [x, a0] + [parameters[spec.name] for spec in COURSE.layer_of("lstm_backward").inputs[2:]]
    trial = recognise.Trial(leaves, [lstm_backward_da()], [], [], failed=True)
    dx, da0, dWf, dbf, dWi, dbi, dWc, dbc, dWo, dbo = recognise._results_here(mistake, layer, True, trial)
    assert np.allclose(dx[1][2], [-0.00173313, 0.08287442, -0.30545663, -0.43281115])
    assert np.isclose(da0[2][3], -0.095911501954) and np.isclose(dWf[3][1], -0.0698198561274)
    assert np.isclose(dWi[1][2], 0.102371820249) and np.isclose(dWc[3][1], -0.0624983794927)
    assert np.isclose(dWo[1][2], 0.0484389131444) and np.isclose(dbf[4][0], -0.0565788)


# ---------------------------------------------------------------- real student notebooks

def manifest():
    with open(os.path.join(DLAI, "MANIFEST.tsv"), encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


# Where rnncheck's verdict is not the finite-difference check's, and why (README, "deeplearning.ai's notebook").
DIFFERENT = {
    # np.float is gone from NumPy >= 1.24; the truth restored the alias, rnncheck judges on the NumPy installed
    # and says the fix ("use float").
    ("v3a_BvSaiAkhil.ipynb", "rnn_backward"): "error",
    # The truth feeds each backward a cache built by its own forward; rnncheck feeds the student's own cache
    # (DESIGN.md), here from a wrong rnn_forward (a0 at every step; a malformed cache list).
    ("v3a_PasindaBimsara.ipynb", "rnn_backward"): "fail",
    ("2018_bosonfields_rnn_stepbystep.py", "rnn_backward"): "error",
    ("2018_bosonfields_rnn_stepbystep.py", "lstm_backward"): "skipped",  # its lstm_forward raises: no cache
    # Reads Wf, Wi, Wc, Wo as globals (the notebook's test arrays, 5 x 8) instead of from parameters: the truth,
    # at the notebook's sizes, gets wrong values; at other sizes the products raise.
    ("2018v2_Kulbear.ipynb", "lstm_cell_backward"): "error",
    ("2018v2_Kulbear.ipynb", "lstm_backward"): "error",
    # `for t in reversed(range(None))` is still the template's: "missing: not finished" (the truth: error).
    ("2021_JJChen9.ipynb", "lstm_backward"): "missing",
}


@pytest.fixture(scope="module")
def real_verdicts():
    files = [os.path.join(DLAI, row["file"]) for row in manifest()]
    _, found = verdicts(*files, "--seed", 1)
    return {os.path.basename(v["candidate"]): v for v in found}


def test_real_notebooks_of_every_edition_get_the_finite_difference_verdicts(real_verdicts):
    assert {row["edition"].split()[0].split("-")[0] for row in manifest()} >= {"2018", "v3a", "W1A1"}
    for row in manifest():
        truth = dict(zip(ORDER, row[next(k for k in row if k.startswith("truth"))].split(",")))
        expected = {f: DIFFERENT.get((row["file"], f), {"stub": "missing"}.get(s, s)) for f, s in truth.items()}
        got = statuses(real_verdicts[row["file"]])
        optional_left_out = {f: "missing" for f in ORDER if f not in got}
        assert dict(got, **optional_left_out) == expected, row["file"]
        assert real_verdicts[row["file"]]["course"] == dict(real_verdicts[row["file"]]["course"], name="dlai",
                                                            chosen="recognised")


def test_a_notebook_without_the_optional_part_passes(real_verdicts):
    for name in ("2018v3_shanjgit.ipynb", "2021_Sankar-DS.ipynb"):
        assert real_verdicts[name]["passed"] and set(statuses(real_verdicts[name])) == set(COURSE.required)
    assert "rnn_backward (optional) is still mostly the template: not checked" in real_verdicts[
        "2021_Sankar-DS.ipynb"]["warnings"]


def test_the_2018_printed_lstm_backward_is_named_on_a_real_notebook(real_verdicts):
    for name in ("2018v3_LucasSSales.ipynb", "v3a_amanchadha.ipynb"):
        lstm_backward = next(f for f in real_verdicts[name]["functions"] if f["name"] == "lstm_backward")
        assert lstm_backward["status"] == "fail" and lstm_backward["mistake"]["id"] == "lstm_backward_no_recurrence"
        assert lstm_backward["mistake"]["title"].startswith(
            "no recurrence: neither da_prev nor dc_prev is carried back, step t gets only da[:, :, t]")
        assert "2018 notebook printed exactly this as lstm_backward's expected output" in lstm_backward["message"]
        assert "wrong at time steps 0..2 of 0..3 only" in lstm_backward["message"]  # time is the last axis here


def test_known_mistakes_of_cs231n_layers_are_named_in_the_notebooks_words(real_verdicts):
    jj = {f["name"]: f for f in real_verdicts["2021_JJChen9.ipynb"]["functions"]}
    assert jj["rnn_cell_backward"]["mistake"]["id"] == "rnn_step_no_tanh_derivative"
    assert jj["rnn_cell_backward"]["mistake"]["hint"].startswith("a_next = tanh(a): dtanh = (1 - a_next ** 2) * da_next")
    pasinda = {f["name"]: f for f in real_verdicts["v3a_PasindaBimsara.ipynb"]["functions"]}
    assert pasinda["rnn_forward"]["mistake"]["title"] == "used a0 at every time step"
    bv = {f["name"]: f for f in real_verdicts["v3a_BvSaiAkhil.ipynb"]["functions"]}
    assert bv["rnn_backward"]["message"].startswith("np.float was removed from NumPy: use float")


def test_dc_prev_without_the_forget_gate_is_named(tmp_path):
    path = tmp_path / "forget.py"
    path.write_text(open(CORRECT, encoding="utf-8").read().replace("dc_prev = dc * ft", "dc_prev = dc"))
    code, [verdict] = verdicts(path, "--functions", "lstm_cell_*", "--seed", 2)
    backward = next(f for f in verdict["functions"] if f["name"] == "lstm_cell_backward")
    assert code == 1 and backward["status"] == "fail"
    assert backward["mistake"] == {"id": "lstm_step_dprev_c_without_forget_gate", "title": "dc_prev without the forget gate",
                                   "hint": "c_next = ft * c_prev + it * cct, so dc_prev = dc_next * ft"}
    assert "dc_prev is wrong" in backward["message"]


# ---------------------------------------------------------------- a correct solution, a one-bug one

@pytest.mark.parametrize("seed", [0, 7, 2024])
def test_a_correct_solution_passes_whatever_the_seed_without_importing_rnn_utils(seed):
    code, [verdict] = verdicts(CORRECT, "--seed", seed)
    assert code == 0 and statuses(verdict) == dict.fromkeys(ORDER, "pass")
    assert [f["name"] for f in verdict["functions"] if f["warnings"] or "mistake" in f] == []


def test_one_bug_fails_exactly_the_functions_it_breaks(tmp_path):
    path = tmp_path / "dba_mean.py"
    path.write_text(open(CORRECT, encoding="utf-8").read().replace(
        "dba = np.sum(dtanh, axis=1, keepdims=True)", "dba = np.mean(dtanh, axis=1, keepdims=True)"))
    code, [verdict] = verdicts(path, "--seed", 5)
    assert code == 1 and {n: s for n, s in statuses(verdict).items() if s != "pass"} == {
        "rnn_cell_backward": "fail", "rnn_backward": "fail"}
    cell = next(f for f in verdict["functions"] if f["name"] == "rnn_cell_backward")
    assert cell["mistake"]["title"] == "averaged dba over the batch instead of summing it"


def test_a_truncated_lstm_backward_fails_the_long_memory_case_located_in_time(tmp_path):
    path = tmp_path / "truncated.py"
    path.write_text(open(CORRECT, encoding="utf-8").read().replace(
        "    for t in reversed(range(T_x)):\n        gradients = lstm_cell_backward(",
        "    for t in reversed(range(T_x)):\n        if t < T_x - 20:\n            break\n"
        "        gradients = lstm_cell_backward("))
    code, [verdict] = verdicts(path, "--functions", "lstm_*", "--seed", 4)
    backward = next(f for f in verdict["functions"] if f["name"] == "lstm_backward")
    assert backward["status"] == "fail" and "passes m=3 T_x=4 n_x=5 n_a=6, m=1, T_x=1, n_x=n_a" in \
        backward["message"]
    assert "(case long memory T_x=24)" in backward["message"]
    assert "wrong at time steps 0..3 of 0..23 only" in backward["message"]


# ---------------------------------------------------------------- which course

def recognised(text):
    return which_course.choose(from_bytes(text.encode(), "a.py"))[0].name


def test_a_file_of_one_course_is_never_judged_against_the_others_signatures():
    assert recognised("def rnn_forward(x, a0, parameters):\n    pass\n") == "dlai"
    assert recognised("def rnn_forward(x, h0, Wx, Wh, b):\n    pass\n") == "cs231n"
    assert recognised("def lstm_backward(da, caches):\n    pass\n") == "dlai"
    assert recognised("def lstm_backward(dh, cache):\n    pass\n") == "cs231n"
    assert recognised(open(BASE, encoding="utf-8").read()) == "cs231n"
    assert recognised(open(CORRECT, encoding="utf-8").read()) == "dlai"


def test_asked_for_the_other_course_every_function_is_missing_not_misjudged():
    code, [verdict] = verdicts(CORRECT, "--course", "cs231n", "--functions", "rnn_*", "--seed", 1)
    assert verdict["course"]["chosen"] == "requested" and statuses(verdict) == {
        "rnn_step_forward": "missing", "rnn_step_backward": "missing", "rnn_forward": "error", "rnn_backward": "skipped"}
    rnn_forward = next(f for f in verdict["functions"] if f["name"] == "rnn_forward")
    assert rnn_forward["message"].startswith("rnn_forward takes (x, a0, parameters); the assignment's is (x, h0, Wx")
    code, [verdict] = verdicts(BASE, "--course", "dlai", "--seed", 1)
    assert statuses(verdict) == {"rnn_cell_forward": "missing", "rnn_forward": "error", "rnn_backward": "skipped",
                                 "lstm_cell_forward": "missing", "lstm_forward": "error", "lstm_backward": "skipped"}
    rnn_forward = next(f for f in verdict["functions"] if f["name"] == "rnn_forward")
    assert rnn_forward["message"].startswith("rnn_forward takes (x, h0, Wx, Wh, b); the assignment's is (x, a0, par")


# ---------------------------------------------------------------- error maps with time last

def test_an_error_map_of_a_time_last_gradient_is_by_feature_and_time_step():
    layer = COURSE.layer_of("rnn_backward")
    expected = np.ones((3, 2, 5))
    got = expected.copy()
    got[1, 0, 4] = 3.0
    grid = errormap.error_map("dx", got, expected, layer)
    assert grid["aggregated"] == "max over N" and grid["rows"]["axis"] == "D" and grid["columns"]["axis"] == "T"
    assert grid["columns"]["labels"][4] == "t=4" and grid["worst"] == [1, 4] and grid["worst_index"] == [1, 0, 4]
    output = errormap.error_map("a", got, expected, layer)
    assert output["aggregated"] == "max over N" and output["columns"]["axis"] == "T"


def test_the_readme_shows_the_real_output_of_a_2018_notebook():
    command = "rnncheck tests/submissions/dlai/2018v3_LucasSSales.ipynb --seed 42"
    readme = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    shown = readme.split(f"$ {command}\n", 1)[1].split("```", 1)[0]
    done = run_cli(*command.split()[1:])
    assert done.returncode == 1 and done.stdout == shown
