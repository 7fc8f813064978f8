"""Property: for any small shape and input scale, manual RNN, LSTM and GRU
gradients (step and sequence) agree with the autograd reference."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnncheck import manual
from rnncheck import reference
from rnncheck.oracle.cases import Case, make_inputs, make_upstream
from rnncheck.courses.cs231n import CATALOGUE
from conftest import relative_error

TOLERANCE = 1e-8
# Gradients here are O(0.1..10) unless every unit saturates. Then they shrink
# towards 1e-20, and tanh'(a) = 1 - h ** 2 taken from the rounded output h (the
# CS231n formula) is off by ~1e-16 absolute, which no relative tolerance can
# absorb (h = 1.0 exactly gives 0 where autograd's 1 / cosh(a) ** 2 gives 5e-21).
# So errors are relative to the largest expected entry, but never to less than
# SMALLEST_SCALE: an absolute floor of 1e-12, four orders below real bugs.
SMALLEST_SCALE = 1e-4
RECURRENT = tuple(layer for layer in CATALOGUE
                  if layer.name.replace("_step", "") in ("rnn", "lstm", "gru"))
dimension = st.integers(min_value=1, max_value=5)


def gradients(module, layer, inputs, upstream_rng):
    *outputs, cache = getattr(module, layer.forward)(*inputs)
    return getattr(module, layer.backward)(*make_upstream(outputs, upstream_rng), cache)


@pytest.mark.parametrize("layer", RECURRENT, ids=lambda layer: layer.name)
@settings(max_examples=25, deadline=None, derandomize=True)
@given(N=dimension, T=dimension, D=dimension, H=dimension,
       scale=st.floats(min_value=0.1, max_value=3.0), seed=st.integers(0, 2 ** 32 - 1))
def test_manual_gradients_match_reference(layer, N, T, D, H, scale, seed):
    case = Case("hypothesis", dict(N=N, T=T, D=D, H=H))
    inputs = [scale * value for value in make_inputs(layer, case, np.random.default_rng(seed))]
    got = gradients(manual, layer, inputs, np.random.default_rng(seed + 1))
    expected = gradients(reference, layer, inputs, np.random.default_rng(seed + 1))
    errors = {name: relative_error(g, e, floor=SMALLEST_SCALE)
              for name, g, e in zip(layer.grads, got, expected)}
    assert max(errors.values()) < TOLERANCE, errors
