"""Vanilla tanh RNN: step and sequence, forward and backward, pure NumPy.

Shapes: N batch, T time, D input, H hidden.
"""
from collections import namedtuple

import numpy as np

from .temporal import temporal_affine_backward, temporal_affine_forward

# What one step's backward needs besides the weights.
RNNStep = namedtuple("RNNStep", "prev_h next_h")
RNNStepCache = namedtuple("RNNStepCache", "x Wx Wh step")
RNNCache = namedtuple("RNNCache", "projection Wh steps")


def _step(x_projection, prev_h, Wh):
    """next_h = tanh(x_projection + prev_h Wh), where x_projection = x Wx + b."""
    next_h = np.tanh(x_projection + prev_h @ Wh)
    return next_h, RNNStep(prev_h, next_h)


def _step_backward(dnext_h, step, Wh):
    """Gradients of one step's pre-activation a (N, H) and of prev_h."""
    # reverse of: next_h = tanh(a)
    da = dnext_h * (1 - step.next_h ** 2)
    # reverse of: a = x Wx + prev_h Wh + b, the prev_h term
    dprev_h = da @ Wh.T
    return da, dprev_h


def rnn_step_forward(x, prev_h, Wx, Wh, b):
    """
    Forward pass of one timestep of a vanilla RNN with tanh activation.

        a = x Wx + prev_h Wh + b
        next_h = tanh(a)

    Inputs:
    - x: input of this timestep, shape (N, D)
    - prev_h: hidden state of the previous timestep, shape (N, H)
    - Wx: input-to-hidden weights, shape (D, H)
    - Wh: hidden-to-hidden weights, shape (H, H)
    - b: biases, shape (H,)

    Returns a tuple of:
    - next_h: next hidden state, shape (N, H)
    - cache: RNNStepCache for rnn_step_backward
    """
    next_h, step = _step(x @ Wx + b, prev_h, Wh)
    return next_h, RNNStepCache(x, Wx, Wh, step)


def rnn_step_backward(dnext_h, cache):
    """
    Backward pass of one timestep of a vanilla RNN.

    Derivation, local derivatives in reverse order of the forward:
    - next_h = tanh(a):  da = dnext_h * (1 - next_h ** 2)
    - a = x Wx + prev_h Wh + b:
      dx = da Wx^T,  dprev_h = da Wh^T,  dWx = x^T da,  dWh = prev_h^T da,
      db = sum of da over the batch

    Inputs:
    - dnext_h: gradient of the loss with respect to next_h, shape (N, H)
    - cache: RNNStepCache from rnn_step_forward

    Returns a tuple of:
    - dx: gradient of the input, shape (N, D)
    - dprev_h: gradient of the previous hidden state, shape (N, H)
    - dWx: gradient of the input-to-hidden weights, shape (D, H)
    - dWh: gradient of the hidden-to-hidden weights, shape (H, H)
    - db: gradient of the biases, shape (H,)
    """
    x, Wx, Wh, step = cache
    da, dprev_h = _step_backward(dnext_h, step, Wh)
    # reverse of: a = x Wx + prev_h Wh + b, the weight, bias and x terms
    dx = da @ Wx.T
    dWx = x.T @ da
    dWh = step.prev_h.T @ da
    db = da.sum(axis=0)
    return dx, dprev_h, dWx, dWh, db


def rnn_forward(x, h0, Wx, Wh, b):
    """
    Forward pass of a vanilla RNN over a whole sequence of T timesteps.

        h[:, t] = tanh(x[:, t] Wx + h[:, t - 1] Wh + b),  with h[:, -1] = h0

    The input projections x[:, t] Wx + b of all timesteps are computed in one
    matrix product before the recurrence.

    Inputs:
    - x: input sequence, shape (N, T, D)
    - h0: initial hidden state, shape (N, H)
    - Wx: input-to-hidden weights, shape (D, H)
    - Wh: hidden-to-hidden weights, shape (H, H)
    - b: biases, shape (H,)

    Returns a tuple of:
    - h: hidden states of all timesteps, shape (N, T, H)
    - cache: RNNCache for rnn_backward
    """
    x_projection, projection = temporal_affine_forward(x, Wx, b)  # all timesteps at once
    h, steps = unroll(_step, x_projection, h0, Wh)
    return h, RNNCache(projection, Wh, steps)


def unroll(step_function, x_projection, h0, Wh):
    """Run ``step_function(x_projection[:, t], prev_h, Wh) -> (next_h, step)`` over t.

    Returns h (N, T, H) and the list of per-step records for the backward.
    """
    prev_h, hs, steps = h0, [], []
    for t in range(x_projection.shape[1]):
        prev_h, step = step_function(x_projection[:, t], prev_h, Wh)
        hs.append(prev_h)
        steps.append(step)
    return np.stack(hs, axis=1), steps


def rnn_backward(dh, cache):
    """
    Backward pass of a vanilla RNN over a whole sequence.

    Derivation, from t = T - 1 down to 0: h[:, t] feeds the loss directly
    and feeds step t + 1, so its gradient is dh[:, t] plus dprev_h of step
    t + 1; step t's backward (see rnn_step_backward) turns it into
    da[:, t] = dnext_h * (1 - h[:, t] ** 2) and dprev_h = da[:, t] Wh^T.
    The weights are shared by all steps, so their gradients are sums over t,
    each taken once over all timesteps:
    dx = da Wx^T,  dWx = x^T da,  dWh = h_prev^T da,  db = sum of da,
    where h_prev[:, t] = h[:, t - 1] (h0 for t = 0); dh0 is step 0's dprev_h.

    Inputs:
    - dh: upstream gradients of all hidden states, shape (N, T, H)
    - cache: RNNCache from rnn_forward

    Returns a tuple of:
    - dx: gradient of the inputs, shape (N, T, D)
    - dh0: gradient of the initial hidden state, shape (N, H)
    - dWx: gradient of the input-to-hidden weights, shape (D, H)
    - dWh: gradient of the hidden-to-hidden weights, shape (H, H)
    - db: gradient of the biases, shape (H,)
    """
    projection, Wh, steps = cache
    N, T, _ = projection.x.shape
    H = Wh.shape[0]
    dprev_h = np.zeros_like(dh[:, 0])
    das = [None] * T
    for t in reversed(range(T)):
        # reverse of: h[:, t] = next_h, which also feeds step t + 1
        das[t], dprev_h = _step_backward(dh[:, t] + dprev_h, steps[t], Wh)
    da = np.stack(das, axis=1)  # (N, T, H)
    h_prev = np.stack([step.prev_h for step in steps], axis=1).reshape(N * T, H)
    # reverse of: x_projection = x Wx + b (a temporal affine layer), and of the prev_h Wh terms
    dx, dWx, db = temporal_affine_backward(da, projection)
    dWh = h_prev.T @ da.reshape(N * T, H)
    return dx, dprev_h, dWx, dWh, db
