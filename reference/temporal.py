"""Temporal affine layer and temporal softmax loss as autograd graphs.

N batch, T time, D input, M output, V vocabulary (the softmax classes).
"""
import autograd.numpy as np
from autograd import value_and_grad

from ._vjp import layer


def temporal_affine(x, w, b):
    """out[n, t] = x[n, t] w + b.

    x (N, T, D), w (D, M), b (M,) -> out (N, T, M); the N * T rows go through
    one 2-D product (autograd's VJP of einsum is several times slower).
    """
    N, T, D = x.shape
    return np.reshape(np.reshape(x, (N * T, D)) @ w + b, (N, T, w.shape[1]))


temporal_affine_forward, temporal_affine_backward = layer(temporal_affine, upstream=("dout",))


def _masked_cross_entropy(x, y, mask):
    """loss = -sum over (n, t) with mask of log softmax(x[n, t])[y[n, t]], / N."""
    N, T, V = x.shape
    shifted = x - np.max(x, axis=2, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=2, keepdims=True))
    picked = log_probs[np.arange(N)[:, None], np.arange(T)[None, :], y]
    return -np.sum(picked * mask) / N


def temporal_softmax_loss(x, y, mask, verbose=False):
    """Masked softmax loss summed over time, averaged over the batch.

    x (N, T, V) scores, y int (N, T) in [0, V), mask bool (N, T)
    -> loss (scalar), dx (N, T, V) from autograd.
    """
    loss, dx = value_and_grad(_masked_cross_entropy)(x, y, mask)
    return loss, dx
