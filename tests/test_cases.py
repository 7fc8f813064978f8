"""The generated cases leave no blind spot for a backward that truncates time.

A backward that carries each upstream gradient back through only ``k``
steps (truncated BPTT) is exact on every sequence of at most ``k`` steps.
The long-memory case must make it fail, for every recurrent layer and every
``k`` a student might pick up to four steps short of the whole sequence,
by a thousand times the tolerance at least.
"""
from dataclasses import replace

import numpy as np
import pytest

from rnncheck import reference
from rnncheck.oracle.cases import case_rng, cases_for
from rnncheck.courses import Course, Input
from rnncheck.courses.cs231n import CATALOGUE
from rnncheck.judge.compare import TOLERANCE, relative_error
from rnncheck.oracle.cases import make_inputs, make_upstream

SEQUENCES = [layer for layer in CATALOGUE if layer.stress == "long_memory"]
MARGIN = 1000  # times the float64 tolerance


def long_case(layer):
    return next(case for case in cases_for(layer) if case.stress == "long_memory")


def truncated_backward(layer, inputs, dh, steps):
    """Gradients of the sequence when each dh[:, s] walks back ``steps`` steps at most (reference step functions)."""
    x, h0, Wx, Wh, b = inputs
    step_forward = getattr(reference, layer.forward.replace("_forward", "_step_forward"))
    step_backward = getattr(reference, layer.backward.replace("_backward", "_step_backward"))
    cell = layer.name == "lstm"
    caches, state = [], (h0, np.zeros_like(h0)) if cell else (h0,)
    for t in range(x.shape[1]):
        *state, cache = step_forward(x[:, t], *state, Wx, Wh, b)
        caches.append(cache)
    dx, dh0, dWx, dWh, db = (np.zeros_like(v) for v in inputs)
    for start in range(x.shape[1]):
        carried = [dh[:, start]] + [np.zeros_like(h0)] * cell
        for t in range(start, max(start - steps, -1), -1):
            dx_t, *carried, dWx_t, dWh_t, db_t = step_backward(*carried, caches[t])
            dx[:, t] += dx_t
            dWx, dWh, db = dWx + dWx_t, dWh + dWh_t, db + db_t
        if start < steps:
            dh0 += carried[0]
    return dx, dh0, dWx, dWh, db


def test_every_recurrent_sequence_has_a_case_of_at_least_16_steps():
    assert [layer.name for layer in SEQUENCES] == ["rnn", "lstm", "gru"]
    assert all(long_case(layer).dims["T"] >= 16 for layer in SEQUENCES)


@pytest.mark.parametrize("layer", SEQUENCES, ids=lambda layer: layer.name)
@pytest.mark.parametrize("seed", range(3))
def test_a_truncated_backward_fails_the_long_case_by_a_wide_margin(layer, seed):
    case = long_case(layer)
    T = case.dims["T"]
    rng = case_rng(seed, layer, len(cases_for(layer)) - 1)
    inputs = make_inputs(layer, case, rng)
    h, cache = reference.__dict__[layer.forward](*inputs)
    [dh] = make_upstream([h], rng)
    expected = reference.__dict__[layer.backward](dh, cache)
    assert all(relative_error(got, want) < 1e-12
               for got, want in zip(truncated_backward(layer, inputs, dh, T), expected))
    for steps in (8, 16, T - 4):
        got = truncated_backward(layer, inputs, dh, steps)
        worst = max(relative_error(g, e) for g, e in zip(got, expected))
        assert worst > MARGIN * TOLERANCE["float64"], f"truncated after {steps} steps"


def test_the_long_memory_case_finds_its_inputs_by_name_and_leaves_further_ones_as_drawn():
    lstm = next(layer for layer in SEQUENCES if layer.name == "lstm")
    extra = Input("p", ("3H",))
    peephole = Course("extra", "an LSTM with one more input", (replace(lstm, inputs=lstm.inputs + (extra,)),)).layers[0]
    case = long_case(peephole)
    drawn = make_inputs(peephole, replace(case, stress=None), case_rng(0, peephole, 4))
    x, h0, Wx, Wh, b, p = make_inputs(peephole, case, case_rng(0, peephole, 4))
    H = case.dims["H"]
    np.testing.assert_array_equal(x, 0.5 * drawn[0])
    for kept, as_drawn in zip((h0, Wx, p), (drawn[1], drawn[2], drawn[5])):
        np.testing.assert_array_equal(kept, as_drawn)
    for block in range(4):
        np.testing.assert_allclose(Wh[:, block * H:(block + 1) * H].T @ Wh[:, block * H:(block + 1) * H], np.eye(H),
                                   atol=1e-12)
    np.testing.assert_array_equal(b - drawn[4], np.repeat([0.0, 2.0, 0.0, 0.0], H))  # the forget gate leans open
