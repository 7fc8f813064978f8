"""Signatures: a definition that cannot take the assignment's call is named before anything runs."""
import pytest
from conftest import statuses, verdicts

from rnncheck.load.loader import from_bytes
from rnncheck.courses.cs231n import layer_of
from rnncheck.load import signatures


def mismatch(function, signature):
    return signatures.mismatch(layer_of(function), function, signature)


def other_course(function, found):
    return signatures.other_course(layer_of(function), function, found)


def signature_of(definition, name="rnn_step_forward"):
    """The signature the loader records for ``name`` in ``definition``."""
    return from_bytes(f"{definition}\n    return 0\n".encode(), "a.py").signatures.get(name)


@pytest.mark.parametrize("definition", [
    "def rnn_step_forward(x, prev_h, Wx, Wh, b):",
    "def rnn_step_forward(inputs, h, W_xh, W_hh, bias):",            # renamed
    "def rnn_step_forward(x, prev_h, Wx, Wh, b, activation=None):",  # extra parameter with a default
    "def rnn_step_forward(*args):",
    "def rnn_step_forward(x, *rest, **options):",
    "def rnn_step_forward(x, prev_h, Wx, Wh, b, /, *, scale=1.0):",
])
def test_harmless_variants_are_accepted(definition):
    assert mismatch("rnn_step_forward", signature_of(definition)) is None


def test_the_optional_verbose_of_the_softmax_loss_may_be_left_out_or_kept():
    for definition in ("def temporal_softmax_loss(x, y, mask):",
                       "def temporal_softmax_loss(x, y, mask, verbose=False):"):
        assert mismatch("temporal_softmax_loss", signature_of(definition, "temporal_softmax_loss")) is None


@pytest.mark.parametrize("definition, reason", [
    ("def rnn_step_forward(parameters, a_prev, x):", "it takes 3 arguments, the assignment passes 5"),
    ("def rnn_step_forward(x, prev_h, Wx, Wh, b, cache_list):", "it needs 6 arguments, the assignment passes 5"),
    ("def rnn_step_forward(x, prev_h, Wx, Wh, b, *, mode):", "keyword-only mode without a default"),
    ("def rnn_step_forward(prev_h, x, Wx, Wh, b):",
     "it is called in the assignment's order, which puts other values in prev_h, x"),
])
def test_a_signature_that_cannot_take_the_call_is_named_with_the_assignments(definition, reason):
    text = definition[len("def rnn_step_forward"):-1]
    assert mismatch("rnn_step_forward", signature_of(definition)) == (
        f"rnn_step_forward takes {text}; the assignment's is (x, prev_h, Wx, Wh, b): {reason}")


def test_a_backward_is_called_with_its_upstream_gradients_and_the_cache():
    found = mismatch("lstm_step_backward", signature_of("def lstm_step_backward(dnext_h, cache):",
                                                        "lstm_step_backward"))
    assert found == ("lstm_step_backward takes (dnext_h, cache); the assignment's is (dnext_h, dnext_c, cache): "
                     "it takes 2 arguments, the assignment passes 3")


def test_the_assignments_optional_parameters_are_shown():
    found = mismatch("temporal_softmax_loss", signature_of("def temporal_softmax_loss(scores, labels):",
                                                           "temporal_softmax_loss"))
    assert "the assignment's is (x, y, mask, verbose=False)" in found


@pytest.mark.parametrize("after", [
    "rnn_step_forward = other_step",
    "from helpers import rnn_step_forward",
    "from helpers import *",
    "try:\n    from helpers import rnn_step_forward\nexcept ImportError:\n    pass",
])
def test_a_name_rebound_after_its_definition_is_not_judged_by_that_definition(after):
    text = f"def rnn_step_forward(parameters, a_prev, x):\n    return 0\n\n{after}\n"
    assert "rnn_step_forward" not in from_bytes(text.encode(), "a.py").signatures


def test_a_decorated_definition_is_left_to_run_time():
    text = "@functools.wraps(f)\ndef rnn_step_forward(parameters, a_prev, x):\n    return 0\n"
    assert "rnn_step_forward" not in from_bytes(text.encode(), "a.py").signatures


def test_another_courses_version_of_a_missing_function_is_pointed_out():
    source = from_bytes(b"def rnn_cell_forward(xt, a_prev, parameters):\n    return 0\n", "a.py")
    assert other_course("rnn_step_forward", source.signatures) == (
        "rnn_cell_forward(xt, a_prev, parameters) looks like another course's version; "
        "this assignment's is rnn_step_forward(x, prev_h, Wx, Wh, b)")
    assert other_course("rnn_step_backward", source.signatures) is None


COURSERA = """import numpy as np


def rnn_cell_forward(xt, a_prev, parameters):
    Wax, Waa, ba = parameters["Wax"], parameters["Waa"], parameters["ba"]
    a_next = np.tanh(np.dot(Waa, a_prev) + np.dot(Wax, xt) + ba)
    return a_next, (a_next, a_prev, xt, parameters)


def rnn_forward(x, a0, parameters):
    caches = []
    a_next = a0
    for t in range(x.shape[2]):
        a_next, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)
        caches.append(cache)
    return a_next, caches
"""


def test_a_coursera_notebook_checked_as_cs231n_is_told_what_differs_before_anything_runs(write):
    """Asked for CS231n (without ``--course`` it is recognised as deeplearning.ai's: test_course_dlai.py)."""
    code, [verdict] = verdicts(write("coursera.py", COURSERA), "--course", "cs231n", "--functions", "rnn_*",
                               "--seed", 1)
    assert statuses(verdict) == {"rnn_step_forward": "missing", "rnn_step_backward": "missing",
                                 "rnn_forward": "error", "rnn_backward": "missing"}
    messages = {f["name"]: f["message"] for f in verdict["functions"]}
    assert messages["rnn_step_forward"].startswith("not defined (rnn_cell_forward(xt, a_prev, parameters) looks like")
    assert messages["rnn_forward"] == ("rnn_forward takes (x, a0, parameters); the assignment's is "
                                       "(x, h0, Wx, Wh, b): it takes 3 arguments, the assignment passes 5")
    assert code == 1
