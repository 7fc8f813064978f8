"""``rnncheck.check``: on a namespace built as a notebook builds it, on files, with the CLI's options."""
import json
import linecache
import os
import re
import subprocess
import sys
import types

import pytest
from conftest import BASE, ROOT, SUBMISSIONS, expectations, patched, statuses

import rnncheck
from rnncheck.views import report as text_report
from rnncheck.front.api import Report
from rnncheck.courses.cs231n import FUNCTIONS, REQUIRED
from rnncheck.load.harvest import harvest

WRONG_G_SIGN = os.path.join(SUBMISSIONS, "wrong", "lstm_step_backward_g_sign_flipped.py")


def read(path):
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def cells_of(text):
    """A file cut into notebook cells: one per top-level import or definition block."""
    cells, current = [], []
    for line in text.splitlines():
        if re.match(r"(def |import |from |@)", line) and current and not current[-1].startswith("@"):
            cells.append("\n".join(current) + "\n")
            current = []
        current.append(line)
    return cells + ["\n".join(current) + "\n"]


def notebook(*cells, in_linecache=True):
    """A namespace built the way IPython builds one: each cell compiled under its own file name and
    executed into one dict named ``__main__``, its text in the input history ``In``/``_ih`` and
    (as IPython does) in ``linecache``.  Without ``in_linecache`` only the history knows the text."""
    history = [""] + list(cells)
    namespace = {"__name__": "__main__", "In": history, "_ih": history}
    for number, cell in enumerate(cells, start=1):
        filename = f"/tmp/ipykernel_0/rnncheck-test-{id(namespace)}-{number}.py"
        if in_linecache:
            linecache.cache[filename] = (len(cell), None, cell.splitlines(True), filename)
        exec(compile(cell, filename, "exec"), namespace)
    return namespace


@pytest.mark.parametrize("in_linecache", [True, False], ids=["linecache", "history-only"])
def test_a_correct_solution_written_in_notebook_cells_passes(in_linecache):
    namespace = notebook(*cells_of(read(BASE)), in_linecache=in_linecache)
    report = rnncheck.check(namespace, seed=5)
    assert isinstance(report, Report)
    assert report.passed and report.failing == [] and report.seed == 5
    assert set(report.functions) == set(FUNCTIONS)  # the base solution defines the GRU too
    assert all(f["status"] == "pass" and f["error"] < 1e-12 for f in report.functions.values())
    assert report.verdict["warnings"] == []


@pytest.mark.parametrize("in_linecache", [True, False], ids=["linecache", "history-only"])
def test_a_wrong_lstm_step_backward_in_a_later_cell_is_flagged_exactly_where_the_file_is(in_linecache):
    namespace = notebook(*cells_of(read(BASE)), read(WRONG_G_SIGN), in_linecache=in_linecache)
    report = rnncheck.check(namespace, seed=5)
    assert not report.passed
    assert set(report.failing) == set(expectations(WRONG_G_SIGN)) == {"lstm_step_backward", "lstm_backward"}
    assert report["lstm_step_backward"]["status"] == "fail"
    assert "wrong in gate block g only" in report["lstm_step_backward"]["message"]


def test_a_namespace_and_the_same_code_in_a_file_get_the_same_verdict(tmp_path):
    path = patched(WRONG_G_SIGN, tmp_path)
    from_file = rnncheck.check(path, seed=9)
    from_cells = rnncheck.check(notebook(*cells_of(read(path))), seed=9)
    assert statuses(from_file.verdict) == statuses(from_cells.verdict)
    for name, function in from_file.functions.items():
        assert from_cells[name]["error"] == function["error"]
        assert [c["errors"] for c in from_cells[name]["cases"]] == [c["errors"] for c in function["cases"]]


HELPERS = '''
import numpy as xp
from numpy import tanh
import math as maths
GATES = 4
SCALE = 1.0
x = xp.ones(3)        # a global array that shares its name with a parameter: never sent


def _split(a, H):
    return [a[:, k * H:(k + 1) * H] for k in range(GATES)]


def lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b):
    H = prev_h.shape[1]
    ai, af, ao, ag = _split(x @ Wx + prev_h @ Wh + b, H)
    i, f, o, g = sigmoid(ai), sigmoid(af), sigmoid(ao), tanh(ag) * SCALE
    next_c = f * prev_c + i * g
    next_h = o * xp.tanh(next_c)
    return next_h, next_c, (x, prev_h, prev_c, Wx, Wh, i, f, o, g, next_c)


def sigmoid(x):
    return 1 / (1 + maths.e ** -x) if False else 0.5 * (1 + xp.tanh(x / 2))
'''


def test_helpers_constants_and_module_aliases_the_functions_use_go_with_them():
    namespace = notebook(HELPERS)
    text = harvest(namespace).text
    for line in ("import numpy as xp", "from numpy import tanh", "import math as maths", "GATES = 4",
                 "SCALE = 1.0", "def _split(a, H):", "def sigmoid(x):", "def lstm_step_forward("):
        assert any(kept.startswith(line) for kept in text.splitlines())
    assert "x = " not in text and "ones" not in text
    report = rnncheck.check(namespace, seed=2, functions="sigmoid,lstm_step_forward")
    assert statuses(report.verdict) == {"sigmoid": "pass", "lstm_step_forward": "pass"}
    assert report.verdict["warnings"] == []


ASSIGNED = [
    "import numpy as np\nfrom collections import namedtuple\n",
    "StepCache = namedtuple('StepCache', 'x prev_h Wx Wh next_h')\n"
    "logistic = lambda x: 0.5 * (1 + np.tanh(x / 2))\n",
    "def sigmoid(x):\n    return logistic(x)\n",
    "def rnn_step_forward(x, prev_h, Wx, Wh, b):\n"
    "    next_h = np.tanh(x @ Wx + prev_h @ Wh + b)\n"
    "    return next_h, StepCache(x, prev_h, Wx, Wh, next_h)\n",
    "def rnn_step_backward(dnext_h, cache):\n"
    "    da = dnext_h * (1 - cache.next_h ** 2)\n"
    "    return da @ cache.Wx.T, da @ cache.Wh.T, cache.x.T @ da, cache.prev_h.T @ da, da.sum(0)\n",
    "step_forward = rnn_step_forward  # an alias is not a second definition\n",
]


@pytest.mark.parametrize("in_linecache", [True, False], ids=["linecache", "history-only"])
def test_functions_and_classes_made_by_assignment_are_found_in_their_cells(in_linecache):
    namespace = notebook(*ASSIGNED, in_linecache=in_linecache)
    report = rnncheck.check(namespace, seed=3, functions="sigmoid,rnn_step_*")
    assert statuses(report.verdict) == {"sigmoid": "pass", "rnn_step_forward": "pass", "rnn_step_backward": "pass"}
    assert report.verdict["warnings"] == []
    text = harvest(namespace).text
    for line in ("from collections import namedtuple", "StepCache = namedtuple(", "logistic = lambda x"):
        assert line in text


def test_a_global_that_cannot_be_sent_is_named_in_a_note_and_its_user_fails():
    namespace = notebook("import numpy as np\nTABLE = np.ones(3)\n\n"
                         "def sigmoid(x):\n    return TABLE[0] / (1 + np.exp(-x))\n")
    report = rnncheck.check(namespace, seed=2, functions="sigmoid")
    assert report["sigmoid"]["status"] == "error" and "NameError" in report["sigmoid"]["message"]
    assert any("`TABLE` (a ndarray) cannot be sent" in note for note in report.verdict["warnings"])


def test_a_catalogue_name_bound_to_something_else_than_a_def_is_named_in_a_note():
    namespace = notebook("import numpy as np\nsigmoid = np.vectorize(lambda v: 1 / (1 + np.exp(-v)))\n")
    report = rnncheck.check(namespace, seed=2, functions="sigmoid")
    assert report["sigmoid"]["status"] == "missing"
    assert report.verdict["warnings"] == ["sigmoid is a vectorize, not a function written with def: it was not checked"]


def test_messages_point_at_the_notebook_cell_and_line():
    cells = ["import numpy as np\n",
             "def sigmoid(x):\n    y = 1 / (1 + np.exp(-x))\n    raise ValueError('not yet')\n"]
    for in_linecache in (True, False):
        report = rnncheck.check(notebook(*cells, in_linecache=in_linecache), seed=2, functions="sigmoid")
        assert report["sigmoid"]["status"] == "error"
        assert "raised ValueError: not yet at cell In[2], line 3" in report["sigmoid"]["message"]
        assert report.verdict["candidate"] == "notebook"


def test_an_empty_namespace_reports_every_required_function_missing():
    report = rnncheck.check({"__name__": "__main__"}, seed=1)
    assert not report.passed
    assert statuses(report.verdict) == {name: "missing" for name in REQUIRED}


def test_without_a_target_check_reads_the_callers_globals():
    namespace = notebook("import numpy as np\n\ndef sigmoid(x):\n    return 1 / (1 + np.exp(x))  # sign\n")
    exec("import rnncheck\nreport = rnncheck.check(seed=1, functions='sigmoid')", namespace)
    assert statuses(namespace["report"].verdict) == {"sigmoid": "fail"}


def test_a_module_is_checked_through_its_namespace(tmp_path):
    module = types.ModuleType("homework")
    module.__file__ = patched(WRONG_G_SIGN, tmp_path)
    exec(compile(read(module.__file__), module.__file__, "exec"), vars(module))
    report = rnncheck.check(module, seed=4, functions="lstm_*")
    assert set(report.failing) == {"lstm_step_backward", "lstm_backward"}
    assert report.verdict["candidate"] == module.__file__


def test_a_path_is_checked_like_the_command_line_does_and_a_folder_gives_one_report_each(tmp_path):
    path = patched(WRONG_G_SIGN, tmp_path)
    report = rnncheck.check(path, seed=4, functions=["lstm_step_*"])
    assert report.verdict["candidate"] == path
    assert statuses(report.verdict) == {"lstm_step_forward": "pass", "lstm_step_backward": "fail"}
    reports = rnncheck.check(str(tmp_path), seed=4, functions="lstm_step_*")
    assert [r.verdict["candidate"] for r in reports] == [path]


def test_the_command_line_options_are_keyword_arguments():
    namespace = notebook("def sigmoid(x):\n    while True:\n        pass\n")
    report = rnncheck.check(namespace, seed=1, functions="sigmoid", timeout=0.5, memory="1G", max_output="4K")
    assert report["sigmoid"]["status"] == "timeout"
    with pytest.raises(ValueError, match="matches no catalogue function"):
        rnncheck.check(namespace, functions="lstm_nothing*")
    blocked = notebook("import autograd.numpy as anp\n\ndef sigmoid(x):\n    return 1 / (1 + anp.exp(-x))\n")
    assert rnncheck.check(blocked, seed=1, functions="sigmoid")["sigmoid"]["status"] == "error"
    allowed = rnncheck.check(blocked, seed=1, functions="sigmoid", allow_import="autograd")
    assert allowed["sigmoid"]["status"] != "error"


def test_the_report_prints_as_text_and_serialises_as_the_json_contract(tmp_path):
    report = rnncheck.check(patched(WRONG_G_SIGN, tmp_path), seed=4, functions="lstm_step_*")
    assert str(report) == repr(report) == text_report.as_text(report.verdict)
    assert json.loads(report.to_json()) == json.loads(text_report.as_json(report.verdict))
    assert "lstm_step_backward" in report and "sigmoid" not in report
    html = report._repr_html_()
    assert html.startswith('<div class="rnncheck">') and "<table>" in html and "<svg" in html
    saved = report.save_html(str(tmp_path / "page.html"))
    assert read(saved).startswith("<!DOCTYPE html>") and read(saved) == report.to_html()


def test_importing_rnncheck_stays_cheap():
    code = ("import rnncheck, sys; heavy = [m for m in ('numpy', 'autograd', 'reference', 'rnncheck.front.api') "
            "if m in sys.modules]; assert not heavy, heavy; assert callable(rnncheck.check)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
