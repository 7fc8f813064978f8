"""The corpus: correct solutions in many styles pass, each realistic bug is flagged alone.

``submissions/correct/`` holds complete solutions written the ways students
write them; ``submissions/wrong/`` holds one bug each as a patch over the
base solution, with ``# expect-<status>:`` header lines naming every
function that must not pass.
"""
import glob
import os

import pytest
from conftest import SUBMISSIONS, assert_messages, expectations, header, patched, statuses, verdicts

CORRECT = sorted(glob.glob(os.path.join(SUBMISSIONS, "correct", "*.*")))
WRONG = sorted(glob.glob(os.path.join(SUBMISSIONS, "wrong", "*.py")))


def ids(paths):
    return [os.path.basename(p) for p in paths]


@pytest.mark.parametrize("path", CORRECT, ids=ids(CORRECT))
@pytest.mark.parametrize("seed", [0, 12345])
def test_a_correct_solution_passes_whatever_its_style(path, seed):
    code, [verdict] = verdicts(path, "--seed", seed)
    assert {n: s for n, s in statuses(verdict).items() if s != "pass"} == {}
    assert code == 0 and verdict["passed"]
    assert [f["name"] for f in verdict["functions"] if "mistake" in f or "consistency" in f] == []


@pytest.mark.parametrize("patch", WRONG, ids=ids(WRONG))
def test_a_bug_is_flagged_in_exactly_the_functions_it_breaks(patch, tmp_path):
    expected = expectations(patch)
    code, [verdict] = verdicts(patched(patch, str(tmp_path)), "--seed", 3)
    found = {n: s for n, s in statuses(verdict).items() if s != "pass"}
    assert found == expected
    assert code == (1 if expected else 0)
    named = {f["name"]: f["mistake"]["id"] for f in verdict["functions"] if "mistake" in f}
    mistake = header(patch, "mistake")
    failing = {name for name, status in expected.items() if status == "fail"}
    must_name = set(" ".join(header(patch, "named-in")).split()) or failing
    assert set(named) <= set(expected) and must_name <= set(named) if mistake else named == {}
    assert set(named.values()) <= set(mistake)
    for function in verdict["functions"]:
        if "mistake" in function:
            assert function["message"].startswith(f"this matches a known mistake: {function['mistake']['title']}. "
                                                  f"Hint: {function['mistake']['hint']}; ")
    assert_messages(verdict, patch)


def test_the_corpus_is_not_empty():
    assert len(CORRECT) >= 6 and len(WRONG) >= 15


def function(verdict, name):
    return next(f for f in verdict["functions"] if f["name"] == name)


def test_modifying_inputs_in_place_is_a_warning_not_a_failure():
    _, [verdict] = verdicts(os.path.join(SUBMISSIONS, "correct", "inplace_updates.py"), "--seed", 1)
    backward = function(verdict, "rnn_step_backward")
    assert backward["status"] == "pass"
    assert "modifies its input dnext_h in place" in backward["warnings"]


def test_imports_that_fail_while_loading_are_notes_and_the_rest_is_checked():
    _, [verdict] = verdicts(os.path.join(SUBMISSIONS, "correct", "RNN_Captioning.ipynb"), "--seed", 1)
    assert verdict["passed"]
    assert any("No module named 'cs231n'" in w and w.startswith("code cell ") for w in verdict["warnings"])


def test_a_python2_function_is_an_error_naming_its_line_and_the_others_still_pass(tmp_path):
    patch = tmp_path / "patch.py"
    patch.write_text("def sigmoid(x):\n    print 'computing'\n    return 1 / (1 + np.exp(-x))\n")
    code, [verdict] = verdicts(patched(str(patch), str(tmp_path / "..")), "--seed", 1)
    assert {n: s for n, s in statuses(verdict).items() if s != "pass"} == {"sigmoid": "error"}
    assert "Missing parentheses in call to 'print'" in function(verdict, "sigmoid")["message"]
    assert code == 1


def test_a_declared_encoding_is_read_silently_and_a_guessed_one_is_named():
    _, [declared] = verdicts(os.path.join(SUBMISSIONS, "correct", "gbk_declared.py"), "--seed", 1)
    assert declared["passed"] and declared["warnings"] == []
    path = os.path.join(SUBMISSIONS, "correct", "gb18030_undeclared.py")
    _, [guessed] = verdicts(path, "--seed", 1)
    assert guessed["passed"]
    assert guessed["warnings"] == [f"{path} is not UTF-8 (line 1); read as GB18030 "
                                   "(save it as UTF-8 to be sure of its text)"]


def test_a_backward_that_consumes_its_cache_passes_with_a_warning():
    _, [verdict] = verdicts(os.path.join(SUBMISSIONS, "correct", "per_gate_lists.py"), "--seed", 1)
    assert verdict["passed"]
    assert function(verdict, "rnn_step_backward")["warnings"] == [
        "consumes its cache (removes items: pop()?): a second backward on the same cache raises "
        "IndexError: pop from empty list"]


def test_a_backward_that_modifies_its_cache_passes_with_a_warning_naming_the_entry(tmp_path):
    patch = os.path.join(SUBMISSIONS, "wrong", "rnn_step_backward_modifies_cache.py")
    _, [verdict] = verdicts(patched(patch, str(tmp_path)), "--seed", 1)
    assert verdict["passed"]
    [warning] = function(verdict, "rnn_step_backward")["warnings"]
    assert warning.startswith("modifies its cache in place (cache[4]): "
                              "a second backward on the same cache gives other gradients (difference ")


def test_a_backward_that_leaves_its_cache_alone_gets_no_cache_warning():
    _, [verdict] = verdicts(os.path.join(SUBMISSIONS, "correct", "cs231n_loops.py"), "--seed", 1)
    assert [w for f in verdict["functions"] for w in f["warnings"]] == []


def test_a_bug_in_a_gbk_file_is_flagged_like_any_other(tmp_path):
    with open(os.path.join(SUBMISSIONS, "correct", "gbk_declared.py"), "rb") as handle:
        base = handle.read()
    bug = ("\n\ndef rnn_step_backward(dnext_h, cache):\n"
           "    # 忘了 tanh 的导数\n"
           "    x, prev_h, Wx, Wh, next_h = cache\n"
           "    return dnext_h.dot(Wx.T), dnext_h.dot(Wh.T), x.T.dot(dnext_h), prev_h.T.dot(dnext_h), dnext_h.sum(0)\n")
    path = tmp_path / "gbk_bug.py"
    path.write_bytes(base + bug.encode("gbk"))
    code, [verdict] = verdicts(path, "--seed", 1)
    assert {n: s for n, s in statuses(verdict).items() if s != "pass"} == {
        "rnn_step_backward": "fail", "rnn_backward": "fail"}
    assert code == 1 and verdict["warnings"] == []
