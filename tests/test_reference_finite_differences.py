"""The oracle checked independently: reference gradients against central differences.

Every gradient of every layer with a backward is compared entry by entry
with (L(v + eps) - L(v - eps)) / 2 eps, where L = sum over outputs of
<upstream, output> with random upstream gradients; small shapes keep the
full loop fast.
"""
import numpy as np
import pytest
from autograd import elementwise_grad

from rnncheck import reference
from rnncheck.oracle.cases import Case, make_inputs, make_upstream
from rnncheck.courses.cs231n import CATALOGUE
from conftest import relative_error

EPS = 1e-6
TOLERANCE = 1e-6
SMALL = Case("N=2 T=3 D=4 H=3", dict(N=2, T=3, D=4, H=3, V=5, M=2))
WITH_BACKWARD = tuple(layer for layer in CATALOGUE if layer.backward)


def numerical_gradient(loss, inputs, position):
    """Central differences of the scalar loss(inputs) in every entry of inputs[position]."""
    gradient = np.zeros_like(inputs[position])
    for index in np.ndindex(gradient.shape):
        values = []
        for step in (EPS, -EPS):
            shifted = inputs[position].copy()
            shifted[index] += step
            values.append(loss(inputs[:position] + [shifted] + inputs[position + 1:]))
        gradient[index] = (values[0] - values[1]) / (2 * EPS)
    return gradient


@pytest.mark.parametrize("layer", WITH_BACKWARD, ids=lambda layer: layer.name)
def test_every_reference_gradient_matches_central_differences(layer):
    rng = np.random.default_rng(0)
    inputs = make_inputs(layer, SMALL, rng)
    *outputs, cache = getattr(reference, layer.forward)(*inputs)
    upstream = make_upstream(outputs, rng)
    analytic = getattr(reference, layer.backward)(*upstream, cache)
    analytic = analytic if isinstance(analytic, tuple) else (analytic,)

    def loss(values):
        *outputs, _ = getattr(reference, layer.forward)(*values)
        return sum(np.sum(u * out) for u, out in zip(upstream, outputs))

    position = {spec.name: index for index, spec in enumerate(layer.inputs)}
    errors = {"d" + name: relative_error(gradient, numerical_gradient(loss, inputs, position[name]))
              for name, gradient in zip(layer.differentiable, analytic)}
    assert max(errors.values()) < TOLERANCE, errors


def test_softmax_loss_dx_matches_central_differences():
    layer = next(layer for layer in CATALOGUE if layer.name == "temporal_softmax_loss")
    x, y, mask = make_inputs(layer, SMALL, np.random.default_rng(1))
    _, dx = reference.temporal_softmax_loss(x, y, mask)
    numeric = numerical_gradient(lambda values: reference.temporal_softmax_loss(*values)[0],
                                 [x, y, mask], 0)
    assert relative_error(dx, numeric) < TOLERANCE


def test_softmax_loss_ignores_masked_scores():
    layer = next(layer for layer in CATALOGUE if layer.name == "temporal_softmax_loss")
    x, y, mask = make_inputs(layer, SMALL, np.random.default_rng(2))
    _, dx = reference.temporal_softmax_loss(x, y, mask)
    assert not mask.all() and not dx[~mask].any()


def test_sigmoid_derivative_matches_central_differences():
    x = 4.0 * np.random.default_rng(3).standard_normal((3, 5))
    derivative = elementwise_grad(reference.sigmoid)(x)
    numeric = (reference.sigmoid(x + EPS) - reference.sigmoid(x - EPS)) / (2 * EPS)
    assert relative_error(derivative, numeric) < TOLERANCE


def test_sigmoid_derivative_is_sigmoid_times_one_minus_sigmoid():
    x = 4.0 * np.random.default_rng(4).standard_normal((3, 5))
    s = reference.sigmoid(x)
    assert relative_error(elementwise_grad(reference.sigmoid)(x), s * (1 - s)) < 1e-12
