"""Signatures: a definition that cannot take the assignment's call is named before anything runs."""
import pytest

from rnncheck.loader import from_bytes
from rnncheck.signatures import mismatch


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
