"""Naming the mistake: each rule on an array that has exactly that mistake."""
from dataclasses import replace

import numpy as np
import pytest

from rnncheck.courses import Input
from rnncheck.courses.cs231n import layer_of
from rnncheck.judge.diagnose import describe

DIMS = dict(N=3, T=4, D=5, H=2, V=7, M=8)
RNG = np.random.default_rng(1)
LSTM_STEP = layer_of("lstm_step_backward")
RNN = layer_of("rnn_backward")


@pytest.mark.parametrize("transform, phrase", [
    (lambda e: -e, "the sign is flipped"),
    (lambda e: e / 3, "divided by N=3 (averaged where it should be summed?)"),
    (lambda e: e * 4, "multiplied by T=4"),
    (lambda e: e * 1.5, "off by a constant factor 1.5"),
    (lambda e: 0 * e, "all zeros"),
])
def test_constant_factors_are_named(transform, phrase):
    expected = RNG.standard_normal((5, 8))
    rank, text = describe("dWx", transform(expected), expected, LSTM_STEP, DIMS)
    assert rank == 2 and text.startswith(phrase)


def test_a_transposed_square_gradient_is_named():
    expected = RNG.standard_normal((6, 6))
    assert describe("dWh", expected.T, expected, RNN, dict(DIMS, H=6))[1].startswith("transposed")


def test_swapped_gate_blocks_are_named_in_order():
    expected = RNG.standard_normal((5, 8))
    i, f, o, g = np.split(expected, 4, axis=1)
    rank, text = describe("dWx", np.concatenate([f, i, o, g], 1), expected, LSTM_STEP, DIMS)
    assert rank == 2 and text.startswith("gate blocks come out in order fiog, expected ifog")


def test_a_mistake_in_one_gate_block_is_located_and_characterised():
    expected = RNG.standard_normal((5, 8))
    got = expected.copy()
    got[:, 6:8] *= -1
    rank, text = describe("dWx", got, expected, LSTM_STEP, DIMS)
    assert rank == 1 and "wrong in gate block g only; in block g the sign is flipped" in text


def test_time_steps_that_are_wrong_are_listed():
    expected = RNG.standard_normal((3, 4, 5))
    got = expected.copy()
    got[:, :3] += 1.0
    rank, text = describe("dx", got, expected, RNN, DIMS)
    assert rank == 1 and text.startswith("wrong at time steps 0..2 of 0..3 only")


def test_the_worst_element_is_always_given():
    expected = RNG.standard_normal((3, 5))
    got = expected.copy()
    got[2, 1] = 99.0
    rank, text = describe("dx", got, expected, RNN, DIMS)
    assert rank == 0 and text == f"worst at [2, 1]: 99 instead of {expected[2, 1]:.6g}"


def test_a_leaf_with_gate_blocks_of_its_own_is_located_in_them():
    peephole = Input("p", ("3H",), gates="ifo")  # a layer with gates ifog whose p (3H,) holds i, f, o only
    layer = replace(LSTM_STEP, inputs=LSTM_STEP.inputs + (peephole,), differentiable=LSTM_STEP.differentiable + ("p",))
    expected = RNG.standard_normal(6)
    got = expected.copy()
    got[4:6] *= 3
    rank, text = describe("dp", got, expected, layer, DIMS)
    assert rank == 1 and text.startswith("wrong in gate block o only; in block o multiplied by N=3")
    assert layer.gates_of("dWx") == layer.gates_of("next_h") == "ifog" and layer.gates_of("dp") == "ifo"
