"""manual/ agrees with the autograd reference on every output and every gradient.

float64, tolerance 1e-10 relative: a real derivative bug is many orders of
magnitude above that, rounding is many orders below.
"""
import numpy as np
import pytest

from rnncheck import manual
from rnncheck import reference
from rnncheck.oracle.cases import Case, case_rng, make_inputs, make_upstream
from rnncheck.courses.cs231n import CATALOGUE
from conftest import as_tuple, relative_error

TOLERANCE = 1e-10

# N, T, D, H all different (several), then the shapes real solutions get wrong.
GRID = (
    Case("N=3 T=4 D=5 H=6", dict(N=3, T=4, D=5, H=6, V=7, M=8)),
    Case("N=4 T=2 D=6 H=3", dict(N=4, T=2, D=6, H=3, V=5, M=2)),
    Case("N=2 T=5 D=3 H=7", dict(N=2, T=5, D=3, H=7, V=9, M=4)),
    Case("N=1", dict(N=1, T=3, D=4, H=5, V=6, M=7)),
    Case("T=1", dict(N=2, T=1, D=3, H=4, V=5, M=3)),
    Case("H=1", dict(N=3, T=4, D=2, H=1, V=4, M=1)),
    Case("D=H", dict(N=2, T=3, D=4, H=4, V=5, M=6)),
    Case("T=50", dict(N=2, T=50, D=3, H=4, V=6, M=5)),
)
WITH_BACKWARD = tuple(layer for layer in CATALOGUE if layer.backward)


def forward(module, layer, inputs):
    """The forward's outputs, and its cache (None for a layer without backward)."""
    result = getattr(module, layer.forward)(*inputs)
    if layer.backward is None:
        return as_tuple(result), None
    return result[:-1], result[-1]


def gradients(module, layer, upstream, cache):
    return as_tuple(getattr(module, layer.backward)(*upstream, cache))


def case_inputs(layer, case):
    return make_inputs(layer, case, case_rng(0, layer, GRID.index(case)))


def output_errors(layer, inputs):
    manual_outputs, _ = forward(manual, layer, inputs)
    reference_outputs, _ = forward(reference, layer, inputs)
    return {name: relative_error(got, expected)
            for name, got, expected in zip(layer.outputs, manual_outputs, reference_outputs)}


def gradient_errors(layer, inputs, rng):
    """Relative error of each manual gradient, same inputs and random upstream for both."""
    manual_outputs, manual_cache = forward(manual, layer, inputs)
    reference_outputs, reference_cache = forward(reference, layer, inputs)
    upstream = make_upstream(reference_outputs, rng)
    return {name: relative_error(got, expected)
            for name, got, expected in zip(layer.grads,
                                           gradients(manual, layer, upstream, manual_cache),
                                           gradients(reference, layer, upstream, reference_cache))}


@pytest.mark.parametrize("case", GRID, ids=lambda case: case.label)
@pytest.mark.parametrize("layer", CATALOGUE, ids=lambda layer: layer.name)
def test_forward_outputs_match_reference(layer, case):
    errors = output_errors(layer, case_inputs(layer, case))
    assert max(errors.values()) < TOLERANCE, errors


@pytest.mark.parametrize("case", GRID, ids=lambda case: case.label)
@pytest.mark.parametrize("layer", WITH_BACKWARD, ids=lambda layer: layer.name)
def test_every_gradient_matches_reference(layer, case):
    errors = gradient_errors(layer, case_inputs(layer, case), np.random.default_rng(1))
    assert set(errors) == set(layer.grads)
    assert max(errors.values()) < TOLERANCE, errors


@pytest.mark.parametrize("layer", [layer for layer in CATALOGUE if layer.stress],
                         ids=lambda layer: layer.name)
def test_stress_case_outputs_match_reference(layer):
    """Sigmoid at +-1000, softmax scores offset by 800 (the catalogue's hard inputs)."""
    case = Case(layer.stress, GRID[0].dims, layer.stress)
    errors = output_errors(layer, make_inputs(layer, case, np.random.default_rng(2)))
    assert max(errors.values()) < TOLERANCE, errors


def test_embedding_gradient_accumulates_repeated_words():
    layer = next(layer for layer in CATALOGUE if layer.name == "word_embedding")
    case = Case("V=2", dict(N=3, T=4, D=5, V=2))
    x, W = make_inputs(layer, case, np.random.default_rng(3))
    assert np.unique(x).size < x.size
    errors = gradient_errors(layer, [x, W], np.random.default_rng(4))
    assert errors["dW"] < TOLERANCE


def test_embedding_gradient_of_one_repeated_word_is_the_sum_of_its_upstream():
    x = np.zeros((2, 3), dtype=int)
    W = np.arange(8.0).reshape(4, 2)
    dout = np.random.default_rng(5).standard_normal((2, 3, 2))
    _, cache = manual.word_embedding_forward(x, W)
    dW = manual.word_embedding_backward(dout, cache)
    np.testing.assert_allclose(dW[0], dout.sum(axis=(0, 1)), rtol=1e-14)
    assert not dW[1:].any()
