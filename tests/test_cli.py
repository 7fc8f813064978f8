"""The command line end to end: the README's commands, the contract, the examples."""
import os

from conftest import ROOT, run_cli, statuses, verdicts

from rnncheck.courses.cs231n import FUNCTIONS, REQUIRED

EXAMPLES = os.path.join(ROOT, "examples")


def test_no_path_checks_the_bundled_manual_and_everything_passes():
    code, [verdict] = verdicts("--seed", 11)
    assert code == 0 and verdict["passed"] and verdict["candidate"] == "manual"
    assert statuses(verdict) == {name: "pass" for name in FUNCTIONS}
    assert all(f["error"] < 1e-12 for f in verdict["functions"])


def test_the_json_verdict_follows_the_contract():
    code, [verdict] = verdicts(os.path.join(EXAMPLES, "seed_notebook.txt"), "--seed", 0)
    assert code == 1
    assert {"candidate", "passed", "seed", "functions"} <= set(verdict)
    assert verdict["seed"] == 0 and verdict["passed"] is False
    for function in verdict["functions"]:
        assert {"name", "status", "message", "warnings"} <= set(function)
        assert function["status"] in ("pass", "fail", "error", "timeout", "missing", "skipped")
        assert isinstance(function["message"], str) and "\n" not in function["message"]


def test_the_seed_notebook_shows_the_python3_type_error_and_skips_lstm_backward():
    code, [verdict] = verdicts(os.path.join(EXAMPLES, "seed_notebook.txt"), "--seed", 0)
    by_name = {f["name"]: f for f in verdict["functions"]}
    assert code == 1
    assert by_name["lstm_forward"]["status"] == "error"
    assert "TypeError" in by_name["lstm_forward"]["message"]
    assert "'float' object cannot be interpreted as an integer" in by_name["lstm_forward"]["message"]
    assert by_name["lstm_backward"]["status"] == "skipped"
    assert "lstm_forward" in by_name["lstm_backward"]["message"]
    for name in ("word_embedding_forward", "temporal_affine_backward", "temporal_softmax_loss"):
        assert by_name[name]["status"] == "missing"
    passing = {"sigmoid", "rnn_step_forward", "rnn_step_backward", "rnn_forward", "rnn_backward",
               "lstm_step_forward", "lstm_step_backward"}
    assert {n for n, s in statuses(verdict).items() if s == "pass"} == passing
    assert set(by_name) == set(REQUIRED)  # GRU is optional and not defined here


def test_the_corrected_notebook_passes():
    code, [verdict] = verdicts(os.path.join(EXAMPLES, "corrected_notebook.txt"), "--seed", 0)
    assert code == 0 and set(statuses(verdict).values()) == {"pass"}


def test_the_backward_bug_example_names_the_wrong_function_and_gradient():
    code, [verdict] = verdicts(os.path.join(EXAMPLES, "backward_bug.py"), "--seed", 0)
    failing = {n for n, s in statuses(verdict).items() if s != "pass"}
    assert code == 1 and failing == {"lstm_step_backward", "lstm_backward"}
    step = next(f for f in verdict["functions"] if f["name"] == "lstm_step_backward")
    assert step["message"].startswith("this matches a known mistake: forgot the upstream dnext_c in the cell "
                                      "gradient. Hint: next_c reaches the loss directly too")
    assert step["mistake"]["id"] == "lstm_step_no_dnext_c"
    details = step["message"].split("; dx, dprev_h, dprev_c, dWx, dWh, db are wrong")[1]
    assert "wrong in gate blocks i, f, g only" in details  # dnext_c never reaches the o gate
    sequence = next(f for f in verdict["functions"] if f["name"] == "lstm_backward")
    assert sequence["mistake"]["id"] == "lstm_step_no_dnext_c"
    assert "; it calls lstm_step_backward (fail): fix that first; dx, dh0, dWx, dWh, db are wrong" \
        in sequence["message"]


def test_the_same_seed_gives_the_same_verdict():
    first = verdicts(os.path.join(EXAMPLES, "backward_bug.py"), "--seed", 7)
    second = verdicts(os.path.join(EXAMPLES, "backward_bug.py"), "--seed", 7)
    assert first == second


def test_without_seed_a_random_seed_is_chosen_and_reported():
    _, [verdict] = verdicts("--functions", "sigmoid")
    assert isinstance(verdict["seed"], int) and verdict["seed"] >= 0


def test_functions_selects_and_requires_what_it_names(write):
    path = write("only_rnn_step.py", open(os.path.join(ROOT, "manual", "rnn.py")).read())
    code, [verdict] = verdicts(path, "--seed", 1, "--functions", "rnn_step_*")
    assert code == 0 and statuses(verdict) == {"rnn_step_forward": "pass", "rnn_step_backward": "pass"}
    code, [verdict] = verdicts(path, "--seed", 1, "--functions", "rnn_step_*,sigmoid")
    assert code == 1 and statuses(verdict)["sigmoid"] == "missing"


def test_functions_matching_nothing_is_a_usage_error_not_an_empty_pass():
    done = run_cli("--functions", "lstm_step_forwrd")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("rnncheck: error: --functions lstm_step_forwrd matches no catalogue function")


def test_gru_is_optional_by_default_and_required_when_selected(write):
    path = write("no_gru.py", "from rnncheck.manual import sigmoid\n")
    _, [verdict] = verdicts(path, "--seed", 1, "--allow-import", "rnncheck")
    assert "gru_forward" not in statuses(verdict)
    _, [verdict] = verdicts(path, "--seed", 1, "--allow-import", "rnncheck", "--functions", "gru_*")
    assert set(statuses(verdict).values()) == {"missing"}


def test_several_paths_give_one_json_line_each_and_exit_one_if_any_fails():
    paths = [os.path.join(EXAMPLES, "corrected_notebook.txt"), os.path.join(EXAMPLES, "backward_bug.py")]
    code, found = verdicts(*paths, "--seed", 2)
    assert code == 1 and [v["passed"] for v in found] == [True, False]
    assert [v["candidate"] for v in found] == paths


def test_text_report_has_one_row_per_function_and_no_colour_when_piped():
    done = run_cli(os.path.join(EXAMPLES, "seed_notebook.txt"), "--seed", 3)
    rows = [line.split()[:2] for line in done.stdout.splitlines()[1:15]]
    assert ["ERROR", "lstm_forward"] in rows and ["SKIPPED", "lstm_backward"] in rows
    assert "\033[" not in done.stdout
    assert done.stdout.splitlines()[-1].startswith("FAILED:") and "--seed 3" in done.stdout


def test_colour_follows_the_terminal_and_no_color():
    from rnncheck.views.report import as_text, use_colour

    class Terminal:
        def isatty(self):
            return True
    verdict = {"candidate": "x", "seed": 0, "passed": True,
               "functions": [{"name": "sigmoid", "status": "pass", "message": "ok", "warnings": [],
                              "error": 0.0}]}
    assert "\033[32m" in as_text(verdict, colour=True)
    os.environ.pop("NO_COLOR", None)
    assert use_colour(Terminal())
    os.environ["NO_COLOR"] = "1"
    try:
        assert not use_colour(Terminal())
    finally:
        del os.environ["NO_COLOR"]


def test_help_shows_the_limits_and_their_defaults():
    done = run_cli("--help")
    for flag in ("--timeout", "--load-timeout", "--memory", "--max-output", "--allow-import"):
        assert flag in done.stdout
    assert "default 10" in done.stdout and "default 2G" in done.stdout


def test_version_is_printed():
    assert run_cli("--version").stdout.strip().startswith("rnncheck 0.")


def test_the_text_report_puts_what_to_fix_on_the_row_and_the_details_under_it():
    from rnncheck.views.report import as_text
    fix = "this matches a known mistake: averaged db. Hint: sum it"
    verdict = {"candidate": "x", "seed": 0, "passed": False,
               "functions": [{"name": "rnn_step_backward", "status": "fail", "warnings": [], "error": 0.67,
                              "fix": fix, "message": f"{fix}; db is wrong (case N=3)"}]}
    row, details = as_text(verdict).splitlines()[1:3]
    assert row.split() == ["FAIL", "rnn_step_backward", "6.7e-01", *fix.split()]
    assert details.strip() == "db is wrong (case N=3)" and details.index("db") == row.index("this")


def test_what_a_submission_prints_without_flushing_is_kept(tmp_path):
    path = tmp_path / "prints.py"
    path.write_text("import numpy as np\n\n\ndef sigmoid(x):\n"
                    "    print('sigmoid of', x.shape)\n    return 1 / (1 + np.exp(-x))\n", encoding="utf-8")
    code, [verdict] = verdicts(path, "--seed", 1, "--functions", "sigmoid")
    assert code == 0 and statuses(verdict) == {"sigmoid": "pass"}
    assert verdict["output"]["kept"].splitlines()[:2] == ["sigmoid of (3, 6)", "sigmoid of (1, 5)"]
