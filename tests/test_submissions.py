"""The corpus: correct solutions in many styles pass, each realistic bug is flagged alone.

``submissions/correct/`` holds complete solutions written the ways students
write them; ``submissions/wrong/`` holds one bug each as a patch over the
base solution, with ``# expect-<status>:`` header lines naming every
function that must not pass.
"""
import glob
import os

import pytest
from conftest import SUBMISSIONS, expectations, patched, statuses, verdicts

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


@pytest.mark.parametrize("patch", WRONG, ids=ids(WRONG))
def test_a_bug_is_flagged_in_exactly_the_functions_it_breaks(patch, tmp_path):
    expected = expectations(patch)
    code, [verdict] = verdicts(patched(patch, str(tmp_path)), "--seed", 3)
    found = {n: s for n, s in statuses(verdict).items() if s != "pass"}
    assert found == expected
    assert code == (1 if expected else 0)


def test_the_corpus_is_not_empty():
    assert len(CORRECT) >= 6 and len(WRONG) >= 15
