"""Temporal affine layer and temporal softmax loss, pure NumPy.

Shapes: N batch, T time, D input, M output, V vocabulary (softmax classes).
"""
from collections import namedtuple

import numpy as np

TemporalAffineCache = namedtuple("TemporalAffineCache", "x w")


def temporal_affine_forward(x, w, b):
    """
    Forward pass of an affine layer applied at every timestep.

        out[n, t] = x[n, t] w + b

    All N * T vectors go through one matrix product; the bias is added in
    place, into that product's own array (one (N * T, M) array, not two).

    Inputs:
    - x: input vectors, shape (N, T, D)
    - w: weights, shape (D, M)
    - b: biases, shape (M,)

    Returns a tuple of:
    - out: output vectors, shape (N, T, M)
    - cache: TemporalAffineCache for temporal_affine_backward
    """
    N, T, D = x.shape
    M = b.shape[0]
    out = (x.reshape(N * T, D) @ w).astype(np.result_type(x, w, b), copy=False)
    out += b
    return out.reshape(N, T, M), TemporalAffineCache(x, w)


def temporal_affine_backward(dout, cache):
    """
    Backward pass of the temporal affine layer.

    Derivation: with the timesteps flattened into the batch
    (x_flat (N * T, D), dout_flat (N * T, M)), out_flat = x_flat w + b gives
        dx_flat = dout_flat w^T,  dw = x_flat^T dout_flat,
        db = sum of dout_flat over all N * T rows

    Inputs:
    - dout: upstream gradients, shape (N, T, M)
    - cache: TemporalAffineCache from temporal_affine_forward

    Returns a tuple of:
    - dx: gradient of the inputs, shape (N, T, D)
    - dw: gradient of the weights, shape (D, M)
    - db: gradient of the biases, shape (M,)
    """
    x, w = cache
    N, T, D = x.shape
    M = dout.shape[2]
    dout_flat = dout.reshape(N * T, M)
    # reverse of: out = x w + b, every timestep at once
    dx = (dout_flat @ w.T).reshape(N, T, D)
    dw = x.reshape(N * T, D).T @ dout_flat
    db = dout_flat.sum(axis=0)
    return dx, dw, db


def temporal_softmax_loss(x, y, mask, verbose=False):
    """
    Softmax loss at every timestep, summed over the unmasked timesteps and
    averaged over the batch.

        p[n, t] = softmax(x[n, t])
        loss = -(1 / N) * sum over (n, t) of mask[n, t] * log p[n, t, y[n, t]]

    Subtracting each row's maximum score before exponentiating leaves the
    softmax unchanged and keeps exp from overflowing; log p is taken as
    shifted - log(sum(exp(shifted))), which stays finite.

    Derivation of the gradient: d(-log p[y]) / dx = p - onehot(y), so
        dx[n, t] = mask[n, t] * (p[n, t] - onehot(y[n, t])) / N

    Inputs:
    - x: scores, shape (N, T, V)
    - y: ground-truth indices, shape (N, T), values in [0, V)
    - mask: boolean, shape (N, T); mask[n, t] says whether x[n, t] counts
    - verbose: print the shape of the flattened gradient (CS231n's debug aid)

    Returns a tuple of:
    - loss: scalar
    - dx: gradient of the loss with respect to the scores, shape (N, T, V)
    """
    N, T, V = x.shape
    x_flat = x.reshape(N * T, V)
    y_flat = y.reshape(N * T)
    mask_flat = mask.reshape(N * T)
    rows = np.arange(N * T)

    shifted = x_flat - x_flat.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -np.sum(mask_flat * log_probs[rows, y_flat]) / N

    probs = np.exp(log_probs)
    one_hot = np.zeros_like(probs)
    one_hot[rows, y_flat] = 1
    dx_flat = (probs - one_hot) * mask_flat[:, None] / N
    if verbose:
        print("dx_flat: ", dx_flat.shape)
    return loss, dx_flat.reshape(N, T, V)
