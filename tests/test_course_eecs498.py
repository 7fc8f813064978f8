"""The built-in course eecs498 (PyTorch): recognised from the file, judged as an independent checker judged real files.

Tests that run submitted code need torch (``pip install "rnncheck[torch]"``)
and are skipped with that reason where it is absent; recognising the course
and refusing autograd from the source need nothing but the text.
"""
import csv
import glob
import os
from types import SimpleNamespace

import pytest
from conftest import SUBMISSIONS, verdicts

from rnncheck import courses
from rnncheck.judge import verify
from rnncheck.load import autograd_use, which_course
from rnncheck.load.loader import load
from rnncheck.sandbox import frameworks

HERE = os.path.join(SUBMISSIONS, "eecs498")
FILES = sorted(glob.glob(os.path.join(HERE, "*.py")))
CORRECT = os.path.join(HERE, "fa2020__Mwandia__07623f33__rnn_lstm_attention_captioning.py")
NUMPY_FILES = sorted(glob.glob(os.path.join(SUBMISSIONS, "correct", "*.*"))
                     + glob.glob(os.path.join(SUBMISSIONS, "wrong", "*.py")))
FALL_2020_ONLY = ("lstm_step_forward", "lstm_forward", "attention_forward")
COURSE = courses.load("eecs498")


@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch", reason='the eecs498 course needs PyTorch: pip install "rnncheck[torch]"')


def truth():
    """{file: {function: (verdict, edge_cases)}} from TRUTH.tsv, and {file: layout}."""
    with open(os.path.join(HERE, "TRUTH.tsv"), newline="") as handle:
        rows = list(csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t"))
    found, layouts = {}, {}
    for row in rows:
        found.setdefault(row["file"], {})[row["function"]] = (row["verdict"], row["edge_cases"])
        layouts[row["file"]] = row["layout"]
    return found, layouts


WORST = ("missing", "pass", "fail", "error")


def expected(functions, layout):
    """rnncheck's verdict for each function, from the independent checker's, by two documented differences.

    - rnncheck counts a batch of one and a single time step among its cases;
      the checker reports them apart (``edge_cases``).  A wrong shape there is
      a ``fail`` in rnncheck's words (the checker raises it as an error).
    - A backward whose forward raised is ``skipped`` (no cache), where the
      checker, running the forward itself, calls it an ``error``.
    - ``lstm_step_forward`` is called with its attention arguments, so its
      verdict is the worse of the checker's two calls (with and without).
    Fall 2020's LSTM functions are Winter 2022's class methods: not checked there.
    """
    def one(verdict, edge):
        if verdict == "pass" and edge and edge != "pass":
            return "fail" if edge.startswith("error: TypeError") and "has shape" in edge else edge.split(":")[0]
        return verdict
    wanted = {name: one(*functions[name]) for name in
              ("rnn_step_forward", "rnn_step_backward", "rnn_forward", "rnn_backward", "temporal_softmax_loss",
               "dot_product_attention")}
    if layout == "fa2020":
        wanted.update({name: one(*functions[name]) for name in ("lstm_forward", "attention_forward")})
        wanted["lstm_step_forward"] = max(one(*functions["lstm_step_forward"]),
                                          one(*functions["lstm_step_forward_attn"]), key=WORST.index)
    for step in ("rnn_step", "rnn"):
        if wanted[f"{step}_forward"] == "error" and wanted[f"{step}_backward"] != "missing":
            wanted[f"{step}_backward"] = "skipped"
    return wanted


@pytest.fixture(scope="module")
def checked(torch):
    code, found = verdicts(*FILES, "--seed", "0", "--jobs", "2")
    assert code == 1 and len(found) == len(FILES)
    return {os.path.basename(v["candidate"]): v for v in found}


def test_every_file_is_recognised_as_eecs498_because_it_imports_torch(checked):
    for verdict in checked.values():
        assert verdict["course"]["name"] == "eecs498"
        assert verdict["course"]["chosen"] == "recognised"


def test_the_verdicts_are_the_independent_checkers(checked):
    table, layouts = truth()
    assert sorted(table) == sorted(checked)
    for name, verdict in checked.items():
        got = {f["name"]: f["status"] for f in verdict["functions"]}
        wanted = expected(table[name], layouts[name])
        for function in FALL_2020_ONLY:  # optional: left out where not defined (Winter 2022: class methods)
            if function not in got and wanted.get(function) in ("missing", None):
                wanted.pop(function, None)
        assert got == wanted, name


def test_a_correct_file_of_each_edition_passes_with_float64_accuracy(checked):
    for name in ("fa2020__Mwandia__07623f33__rnn_lstm_attention_captioning.py",
                 "wi2022__NeikuiColacat__28035946__rnn_lstm_captioning.py"):
        verdict = checked[name]
        assert verdict["passed"]
        backwards = [f for f in verdict["functions"] if f["name"].endswith("_backward")]
        assert [f["name"] for f in backwards] == ["rnn_step_backward", "rnn_backward"]
        assert all(f["error"] < 1e-13 for f in backwards)


def test_a_file_that_puts_tensors_on_the_gpu_is_told_so(checked):
    verdict = checked["fa2020__eilonshi__97461813__rnn_lstm_attention_captioning.py"]
    rnn_forward = next(f for f in verdict["functions"] if f["name"] == "rnn_forward")
    assert rnn_forward["status"] == "error"
    assert rnn_forward["message"].startswith("it puts tensors on the GPU (device='cuda'")
    assert "Torch not compiled with CUDA enabled" in rnn_forward["message"]


def test_a_backward_that_changes_its_upstream_gradient_passes_with_a_warning(checked):
    verdict = checked["wi2022__Xecades__d7b7cac9__rnn_lstm_captioning.py"]
    step = next(f for f in verdict["functions"] if f["name"] == "rnn_step_backward")
    assert step["status"] == "pass"
    assert "modifies its input dnext_h in place" in step["warnings"]


def test_the_untouched_starter_is_all_missing(checked):
    verdict = checked["fa2020__danielgrittner__484f4241__rnn_lstm_attention_captioning.py"]
    assert {f["status"] for f in verdict["functions"]} == {"missing"}
    assert len(verdict["functions"]) == 8  # the optional lstm_step_forward, still the stub, is left out
    assert "lstm_step_forward" not in {f["name"] for f in verdict["functions"]}


def test_one_bug_fails_in_the_functions_it_breaks_and_is_named(torch, tmp_path):
    text = open(CORRECT).read()
    bug = text.replace("db = dl_dtanhx.t().sum(dim=1)", "db = dl_dtanhx.t().mean(dim=1)")
    assert bug != text
    path = tmp_path / "averaged_db.py"
    path.write_text(bug)
    code, [verdict] = verdicts(path, "--seed", "0", "--functions", "rnn_*")
    assert code == 1
    status = {f["name"]: f for f in verdict["functions"]}
    assert {name: f["status"] for name, f in status.items()} == {
        "rnn_step_forward": "pass", "rnn_step_backward": "fail", "rnn_forward": "pass", "rnn_backward": "fail"}
    assert status["rnn_step_backward"]["mistake"]["title"] == "averaged db over the batch instead of summing it"
    assert "db is wrong (dx, dprev_h, dWx, dWh right)" in status["rnn_step_backward"]["message"]


STEP = ("import torch\n\n"
        "def rnn_step_forward(x, prev_h, Wx, Wh, b):\n"
        "    next_h = torch.tanh(x @ Wx + prev_h @ Wh + b)\n"
        "    return next_h, (x, prev_h, Wx, Wh, b)\n\n")
BY_AUTOGRAD = (STEP + "def rnn_step_backward(dnext_h, cache):\n"
               "    leaves = [t.clone().requires_grad_() for t in cache]\n"
               "    with torch.enable_grad():\n"
               "        next_h, _ = rnn_step_forward(*leaves)\n"
               "        next_h.backward(dnext_h)\n"
               "    return tuple(t.grad for t in leaves)\n")
HIDDEN = (STEP + "def rnn_step_backward(dnext_h, cache):\n"
          "    leaves = [t.clone() for t in cache]\n"
          "    for t in leaves:\n"
          "        getattr(t, 'requires' + '_grad_')()\n"
          "    with torch.enable_grad():\n"
          "        next_h, _ = rnn_step_forward(*leaves)\n"
          "    return getattr(torch, 'auto' + 'grad').grad(next_h, leaves, dnext_h)\n")


def test_a_backward_by_autograd_is_refused_from_its_source_before_anything_runs():
    found = autograd_use.violations(SimpleNamespace(text=BY_AUTOGRAD, where=lambda line: f"line {line}"),
                                    ["rnn_step_backward", "rnn_backward"])
    assert found == {"rnn_step_backward": "uses torch's autograd (`requires_grad_` at line 8): this assignment "
                                          "asks for the gradients derived by hand"}


def test_autograd_in_a_helper_the_backward_calls_or_imported_by_name_counts_and_forwards_may_use_it():
    text = ("from torch.autograd import grad as g\n\n"
            "def helper(out, leaves, upstream):\n"
            "    return g(out, leaves, upstream)\n\n"
            "def rnn_forward(x, h0, Wx, Wh, b):\n"
            "    x.requires_grad = True\n"
            "    return x, None\n\n"
            "def rnn_backward(dh, cache):\n"
            "    return helper(*cache, dh)\n")
    found = autograd_use.violations(SimpleNamespace(text=text, where=lambda line: f"line {line}"),
                                    ["rnn_backward"])
    assert found == {"rnn_backward": "uses torch's autograd (`g` from torch.autograd at line 4 in helper): this "
                                     "assignment asks for the gradients derived by hand"}
    assert autograd_use.violations(SimpleNamespace(text=STEP), ["rnn_step_backward"]) == {}


def test_a_backward_by_autograd_is_an_error_that_says_so(torch, tmp_path):
    path = tmp_path / "by_autograd.py"
    path.write_text(BY_AUTOGRAD)
    code, [verdict] = verdicts(path, "--seed", "0", "--functions", "rnn_step_*")
    status = {f["name"]: (f["status"], f["message"]) for f in verdict["functions"]}
    assert code == 1
    assert status["rnn_step_forward"][0] == "pass"
    assert status["rnn_step_backward"] == (
        "error", "uses torch's autograd (`requires_grad_` at line 8): this assignment asks for the gradients "
                 "derived by hand")


def test_autograd_hidden_from_the_source_is_refused_while_the_backward_runs(torch, tmp_path):
    path = tmp_path / "hidden.py"
    path.write_text(HIDDEN)
    code, [verdict] = verdicts(path, "--seed", "0", "--functions", "rnn_step_backward")
    [backward] = verdict["functions"]
    assert backward["status"] == "error"
    assert backward["message"].startswith(
        "raised AutogradUsed: this assignment asks for gradients derived by hand, not by torch's autograd; "
        "the backward called torch.autograd.grad at line 13")


def test_a_returned_tensor_that_requires_grad_is_compared_with_a_warning(torch, tmp_path):
    path = tmp_path / "leaf.py"
    path.write_text("import torch\n\ndef dot_product_attention(prev_h, A):\n"
                    "    N, H = prev_h.shape\n"
                    "    flat = A.reshape(N, H, 16).clone().requires_grad_()\n"
                    "    weights = torch.softmax(torch.einsum('nh,nhk->nk', prev_h, flat) / H ** 0.5, dim=1)\n"
                    "    return torch.einsum('nhk,nk->nh', flat, weights), weights.reshape(N, 4, 4)\n")
    code, [verdict] = verdicts(path, "--seed", "0", "--functions", "dot_product_attention")
    [attention] = verdict["functions"]
    assert attention["status"] == "pass" and attention["error"] < 1e-14
    assert "RuntimeWarning: returned a tensor of shape (3, 6) that requires grad (compared after .detach())" \
        in attention["warnings"]


def test_the_loss_is_called_with_the_courses_ignore_index(torch, tmp_path):
    path = tmp_path / "loss.py"
    path.write_text("import torch\nfrom torch.nn import functional as F\n\n"
                    "def temporal_softmax_loss(x, y, ignore_index=None):\n"
                    "    return F.cross_entropy(x.transpose(1, 2), y, ignore_index=ignore_index, reduction='sum')"
                    " / x.shape[0]\n")
    wrong = tmp_path / "ignores_nothing.py"
    wrong.write_text(path.read_text().replace("ignore_index=ignore_index, ", ""))
    code, found = verdicts(path, wrong, "--seed", "0", "--functions", "temporal_softmax_loss")
    assert [v["functions"][0]["status"] for v in found] == ["pass", "fail"]
    cases = {case["case"]: case["status"] for case in found[1]["functions"][0]["cases"]}
    assert cases["null padded"] == "fail"  # captions padded with <NULL>: the ignored word is always there


def test_a_numpy_cs231n_file_is_never_recognised_as_eecs498():
    for path in NUMPY_FILES:
        course, chosen = which_course.choose(load(path))
        assert course.name == "cs231n", path


def test_an_eecs498_file_is_recognised_without_running_it():
    for path in FILES:
        course, chosen = which_course.choose(load(path))
        assert (course.name, chosen["chosen"]) == ("eecs498", "recognised"), path


def test_the_same_functions_without_torch_are_cs231n(tmp_path):
    text = open(CORRECT).read().replace("import torch\n", "import numpy as torch\n", 1)
    path = tmp_path / "no_torch.py"
    path.write_text(text.replace("import torch.nn as nn\n", "").replace("from torch.nn.parameter import Parameter", ""))
    source = load(str(path))
    assert "torch" not in which_course._imported(source)
    assert which_course.choose(source)[0].name == "cs231n"


def test_without_torch_the_check_says_what_to_install(monkeypatch):
    monkeypatch.setattr(frameworks, "available", lambda name: name in (None, "numpy"))
    verdict = verify.check_source(load(CORRECT), 0)
    assert verdict["unchecked"] == ('the course eecs498 is written in torch, which is not installed here: '
                                    'pip install "rnncheck[torch]"')
    assert {f["status"] for f in verdict["functions"]} == {"error"}
    assert len(verdict["functions"]) == 6  # the required ones


def test_a_memory_cap_too_small_for_torch_is_named_before_any_worker_starts(torch):
    verdict = verify.check_source(load(CORRECT), 0, limits=verify.Limits(memory_bytes=512 << 20))
    assert verdict["unchecked"].startswith("the course eecs498 needs a worker memory cap of at least 1 GiB for torch")
    assert "the cap is 512 MiB" in verdict["unchecked"]


def test_the_course_declares_its_functions_and_only_the_rnn_backwards_are_hand_derived():
    assert COURSE.framework == "torch" and COURSE.recognise_by == ("torch",)
    assert COURSE.required == ("rnn_step_forward", "rnn_step_backward", "rnn_forward", "rnn_backward",
                               "temporal_softmax_loss", "dot_product_attention")
    assert [layer.backward for layer in COURSE.layers if layer.backward] == ["rnn_step_backward", "rnn_backward"]
    assert COURSE.layer_of("temporal_softmax_loss").given == {"ignore_index": 0}


FINDS_TORCH = ("import gc\nimport numpy as np\n\n"
               "def sigmoid(x):\n"
               "    found = [o for o in gc.get_objects() if type(o).__name__ == 'module' and o.__name__ == 'torch']\n"
               "    assert not found, 'torch is in this worker'\n"
               "    return 1 / (1 + np.exp(-x))\n")


def test_after_a_torch_check_a_numpy_worker_does_not_have_torch_in_memory(torch, tmp_path):
    from rnncheck.sandbox import forkserver
    numpy_file = tmp_path / "finds_torch.py"
    numpy_file.write_text(FINDS_TORCH)
    try:
        first = verify.check_source(load(CORRECT), 0, patterns=["rnn_step_forward"])
        second = verify.check_source(load(str(numpy_file)), 0, patterns=["sigmoid"])
    finally:
        forkserver.stop()  # the next test's workers come from a server that never imported torch
    assert [f["status"] for f in first["functions"]] == ["pass"]
    assert second["course"]["name"] == "cs231n"
    assert [(f["status"], f["message"]) for f in second["functions"]] == [("pass", "all 5 cases match")]


def _spaced(low, high, *shape):
    import numpy as np
    return np.linspace(low, high, num=int(np.prod(shape))).reshape(shape)


def test_the_oracles_reproduce_the_values_printed_in_the_courses_notebooks():
    """Expected outputs printed (to 8 decimals) in EECS 498's notebooks, for its inputs made with linspace."""
    import numpy as np
    from rnncheck.reference import eecs498
    N, H = 2, 5
    attn, weights = eecs498.dot_product_attention(_spaced(-0.4, 0.6, N, H), _spaced(-0.4, 1.8, N, H, 4, 4))
    np.testing.assert_allclose(attn, [[-0.29784344, -0.07645979, 0.14492386, 0.36630751, 0.58769115],
                                      [0.81412643, 1.03551008, 1.25689373, 1.47827738, 1.69966103]], atol=1e-8)
    np.testing.assert_allclose(weights[0, 0], [0.06511126, 0.06475411, 0.06439892, 0.06404568], atol=1e-8)
    np.testing.assert_allclose(weights[1, 3], [0.06577977, 0.06655312, 0.06733557, 0.06812722], atol=1e-8)
    N, D, H = 3, 4, 5
    x, prev_h, prev_c = _spaced(-0.4, 1.2, N, D), _spaced(-0.3, 0.7, N, H), _spaced(-0.4, 0.9, N, H)
    Wx, Wh, b = _spaced(-2.1, 1.3, D, 4 * H), _spaced(-0.7, 2.2, H, 4 * H), _spaced(0.3, 0.7, 4 * H)
    next_h, next_c = eecs498.lstm_step_attention(x, prev_h, prev_c, Wx, Wh, b, _spaced(0.6, 1.8, N, H),
                                                 _spaced(1.3, 4.2, H, 4 * H))
    np.testing.assert_allclose(next_h[0], [0.53704256, 0.59980774, 0.65596820, 0.70569729, 0.74932626], atol=1e-8)
    np.testing.assert_allclose(next_c[2], [1.52857143, 1.62142857, 1.71428571, 1.80714286, 1.90000000], atol=1e-8)
    N, D, H, T = 2, 5, 4, 3
    h = eecs498.attention_lstm(_spaced(-0.4, 0.6, N, T, D), _spaced(-0.4, 1.8, N, H, 4, 4),
                               _spaced(-0.2, 0.9, D, 4 * H), _spaced(-0.3, 0.6, H, 4 * H),
                               _spaced(1.3, 4.2, H, 4 * H), _spaced(0.2, 0.7, 4 * H))
    np.testing.assert_allclose(h[0], [[0.56141729, 0.70274849, 0.80000386, 0.86349400],
                                      [0.89556391, 0.92856726, 0.94950579, 0.96281018],
                                      [0.96792077, 0.97535465, 0.98039623, 0.98392994]], atol=1e-8)
    x, y = _spaced(-1.0, 2.0, 2, 3, 4), np.array([[0, 1, 2], [3, 0, 1]])
    log_p = x - np.log(np.exp(x).sum(axis=2, keepdims=True))
    picked = np.take_along_axis(log_p, y[:, :, None], axis=2)[:, :, 0]
    assert eecs498.temporal_softmax_loss(x, y, ignore_index=0) == pytest.approx(-picked[y != 0].sum() / 2, rel=1e-14)
    assert eecs498.temporal_softmax_loss(x, y) == pytest.approx(-picked.sum() / 2, rel=1e-14)
