"""``rnncheck.check(globals())`` in a real Jupyter kernel: a notebook executed with nbclient."""
import json
import os
import re

import pytest
from conftest import BASE, ROOT, SUBMISSIONS
from test_api import cells_of, read

nbformat = pytest.importorskip("nbformat", reason="nbformat is not installed (an optional test tool)")
nbclient = pytest.importorskip("nbclient", reason="nbclient is not installed (an optional test tool)")
pytest.importorskip("ipykernel", reason="ipykernel is not installed: no Jupyter kernel to run a notebook in")

WRONG_G_SIGN = os.path.join(SUBMISSIONS, "wrong", "lstm_step_backward_g_sign_flipped.py")
CHECK = "import rnncheck\nreport = rnncheck.check(globals(), seed=12)\nreport"
SUMMARY = "print(json.dumps({'passed': report.passed, 'failing': report.failing}))"
PLACES = ("from rnncheck.load.harvest import harvest\n"
          "print(json.dumps(sorted({o.split(',')[0] for o in harvest(globals()).origins})))")


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """The assignment as a student writes it: a correct solution in cells, a check, then a wrong
    lstm_step_backward redefined in a later cell and a second check."""
    cells = ([f"import json, sys\nsys.path.insert(0, {ROOT!r})  # this worktree's rnncheck"]
             + ["%precision 4\nimport numpy as np"]
             + cells_of(read(BASE)) + [CHECK, SUMMARY, read(WRONG_G_SIGN), CHECK, SUMMARY, PLACES])
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    directory = tmp_path_factory.mktemp("notebook")
    client = nbclient.NotebookClient(notebook, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(directory)}})
    client.execute()
    return notebook.cells


def outputs_of(cells, marker):
    return [cell["outputs"] for cell in cells if cell["source"] == marker]


def test_a_correct_solution_passes_in_the_kernel(executed):
    first, _ = outputs_of(executed, SUMMARY)
    assert json.loads(first[0]["text"]) == {"passed": True, "failing": []}


def test_a_wrong_lstm_step_backward_redefined_in_a_later_cell_fails_there_and_in_its_caller(executed):
    _, second = outputs_of(executed, SUMMARY)
    assert json.loads(second[0]["text"]) == {"passed": False, "failing": ["lstm_step_backward", "lstm_backward"]}


def test_the_report_is_displayed_as_a_table_with_the_failing_function_its_message_and_heatmaps(executed):
    _, shown = outputs_of(executed, CHECK)
    data = shown[0]["data"]
    html, text = data["text/html"], data["text/plain"]
    assert '<div class="rnncheck">' in html and "<table>" in html
    assert "\u2717 FAIL</span></td><td><code>lstm_step_backward</code>" in html
    assert "wrong in gate block g only" in html
    assert "<details open><summary>lstm_step_backward: per-gradient errors and heatmaps" in html
    assert html.count("<svg") == 10  # five wrong gradients in each of the two failing functions
    assert text.startswith("rnncheck 0.1.0: notebook (seed 12)") and "FAIL    lstm_step_backward" in text


def test_lines_of_the_checked_source_are_traced_to_their_notebook_cells(executed):
    [places] = outputs_of(executed, PLACES)
    wrong_cell = next(n for n, cell in enumerate(executed, start=1) if cell["source"] == read(WRONG_G_SIGN))
    labels = json.loads(places[0]["text"])
    assert f"cell In[{wrong_cell}]" in labels and "added by rnncheck.check" in labels
    assert all(re.fullmatch(r"cell In\[\d+\]|added by rnncheck.check", label) for label in labels)
