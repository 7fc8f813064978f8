"""Numerically hard inputs: sigmoid at +-1000, softmax scores offset by 800.

Both implementations must stay finite and silent (no RuntimeWarning, no
floating-point error even with every NumPy error raised).
"""
import warnings

import numpy as np
import pytest

from rnncheck import manual
from rnncheck import reference
from rnncheck.manual.activations import sigmoid_in_place
from conftest import relative_error

IMPLEMENTATIONS = pytest.mark.parametrize("module", [manual, reference],
                                          ids=lambda module: module.__name__)
EXTREMES = np.array([-1000.0, -710.0, -50.0, 0.0, 50.0, 710.0, 1000.0])


def strictly(function, *args):
    """Call with every NumPy floating-point error raised and every warning an error."""
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        return function(*args)


def scores(offset, seed=0):
    """Softmax inputs (N=3, T=4, V=6): scores of spread ~2 around ``offset``, labels, a mask."""
    rng = np.random.default_rng(seed)
    x = offset + 2.0 * rng.standard_normal((3, 4, 6))
    y = rng.integers(0, 6, size=(3, 4))
    mask = rng.random((3, 4)) < 0.7
    mask[0, 0] = True
    return x, y, mask


def cs231n_temporal_softmax_loss(x, y, mask):
    """The official CS231n formulation: softmax probabilities, then log of the picked one."""
    N, T, V = x.shape
    x_flat, y_flat, mask_flat = x.reshape(N * T, V), y.reshape(N * T), mask.reshape(N * T)
    probs = np.exp(x_flat - np.max(x_flat, axis=1, keepdims=True))
    probs /= np.sum(probs, axis=1, keepdims=True)
    loss = -np.sum(mask_flat * np.log(probs[np.arange(N * T), y_flat])) / N
    dx_flat = probs.copy()
    dx_flat[np.arange(N * T), y_flat] -= 1
    dx_flat /= N
    dx_flat *= mask_flat[:, None]
    return loss, dx_flat.reshape(N, T, V)


@IMPLEMENTATIONS
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_sigmoid_at_extremes_is_silent_and_exact_at_the_limits(module, dtype):
    out = strictly(module.sigmoid, EXTREMES.astype(dtype))
    assert not np.isnan(out).any()
    assert out[0] == 0.0 and out[-1] == 1.0 and out[3] == 0.5
    assert np.all(np.diff(out) >= 0)


@pytest.mark.parametrize("dtype, accuracy", [(np.float64, 5e-16), (np.float32, 3e-7)])
def test_manual_sigmoid_in_place_is_sigmoid_written_into_its_argument(dtype, accuracy):
    x = np.concatenate([EXTREMES, np.linspace(-40, 40, 801)]).astype(dtype)
    a = x.copy()
    out = strictly(sigmoid_in_place, a)
    assert out is a and a.dtype == dtype
    assert a[0] == 0.0 and a[6] == 1.0 and a[3] == 0.5
    np.testing.assert_allclose(a, manual.sigmoid(x), rtol=0, atol=accuracy)


@IMPLEMENTATIONS
def test_sigmoid_is_one_minus_sigmoid_of_minus_x(module):
    x = np.linspace(-30, 30, 61)
    np.testing.assert_allclose(module.sigmoid(x) + module.sigmoid(-x), 1.0, rtol=1e-15)


@IMPLEMENTATIONS
@pytest.mark.parametrize("offset", [800.0, -800.0])
def test_softmax_loss_with_offset_scores_is_finite_and_unchanged(module, offset):
    x, y, mask = scores(0.0)
    loss, dx = module.temporal_softmax_loss(x, y, mask)
    offset_loss, offset_dx = strictly(module.temporal_softmax_loss, x + offset, y, mask)
    assert np.isfinite(offset_loss) and np.isfinite(offset_dx).all()
    assert abs(offset_loss - loss) < 1e-10 * abs(loss)
    assert relative_error(offset_dx, dx) < 1e-10


@pytest.mark.parametrize("offset", [0.0, 800.0, -800.0])
def test_official_cs231n_formulation_agrees_with_reference_on_offsets(offset):
    x, y, mask = scores(offset, seed=1)
    official_loss, official_dx = strictly(cs231n_temporal_softmax_loss, x, y, mask)
    loss, dx = reference.temporal_softmax_loss(x, y, mask)
    assert abs(official_loss - loss) < 1e-12 * abs(loss)
    assert relative_error(official_dx, dx) < 1e-12


@IMPLEMENTATIONS
def test_softmax_loss_with_a_huge_spread_stays_finite(module):
    """Scores 1e4 apart: log(softmax) underflows to -inf in the official formulation,
    while log-sum-exp keeps the loss finite (why the stability cases use offsets)."""
    x, y, mask = scores(0.0, seed=2)
    x[..., 0] += 1e4
    y = np.ones_like(y)
    with np.errstate(all="ignore"):
        official_loss, _ = cs231n_temporal_softmax_loss(x, y, mask)
    loss, dx = module.temporal_softmax_loss(x, y, mask)
    assert not np.isfinite(official_loss)
    assert np.isfinite(loss) and loss > 1e4 / x.shape[0]
    assert np.isfinite(dx).all()
