"""Vanilla tanh RNN: step and sequence, forward and backward, pure NumPy.

Shapes: N batch, T time, D input, H hidden.
"""
from collections import namedtuple

import numpy as np

from .temporal import temporal_affine_backward, temporal_affine_forward

# What one step's backward needs besides the weights (in the sequence: views of the forward's buffers).
RNNStep = namedtuple("RNNStep", "prev_h next_h")
RNNStepCache = namedtuple("RNNStepCache", "x Wx Wh step")
RNNCache = namedtuple("RNNCache", "projection Wh h steps")


def _step(a, prev_h, Wh, next_h):
    """next_h = tanh(a), where a (N, H) holds x Wx + b on entry and gets prev_h Wh added in place.

    next_h (N, H) is written. Returns the step's RNNStep.
    """
    a += prev_h @ Wh
    np.tanh(a, out=next_h)
    return RNNStep(prev_h, next_h)


def _step_backward(dnext_h, step, Wh, da):
    """Gradient of one step's pre-activation a, written into da (N, H), and of prev_h."""
    # reverse of: next_h = tanh(a)
    np.multiply(dnext_h, 1 - step.next_h ** 2, out=da)
    # reverse of: a = x Wx + prev_h Wh + b, the prev_h term
    dprev_h = da @ Wh.T
    return dprev_h


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
    next_h = np.empty_like(prev_h)
    step = _step(x @ Wx + b, prev_h, Wh, next_h)
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
    da = np.empty_like(step.next_h)
    dprev_h = _step_backward(dnext_h, step, Wh, da)
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
    matrix product before the recurrence, time-major: a (T, N, H), whose
    slice a[t], one contiguous block, step t adds prev_h Wh to in place. The
    hidden states live in one shifted (T + 1, N, H) buffer, h[t] being step
    t's prev_h and h[t + 1] its next_h; they are returned as a fresh array
    (the cache keeps its own).

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
    N, T, _ = x.shape
    H = h0.shape[1]
    # a[t] = x[:, t] Wx + b for all timesteps at once, time-major (T, N, H)
    a, projection = temporal_affine_forward(np.ascontiguousarray(x.transpose(1, 0, 2)), Wx, b)
    h = np.empty_like(a, shape=(T + 1, N, H))
    h[0] = h0
    steps = []
    for t in range(T):
        steps.append(_step(a[t], h[t], Wh, h[t + 1]))
    return h[1:].transpose(1, 0, 2).copy(), RNNCache(projection, Wh, h, steps)


def rnn_backward(dh, cache):
    """
    Backward pass of a vanilla RNN over a whole sequence.

    Derivation, from t = T - 1 down to 0: h[:, t] feeds the loss directly
    and feeds step t + 1, so its gradient is dh[:, t] plus dprev_h of step
    t + 1; step t's backward (see rnn_step_backward) turns it into
    da[t] = dnext_h * (1 - h[:, t] ** 2) and dprev_h = da[t] Wh^T, da
    time-major (T, N, H) like the forward's buffers.
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
    projection, Wh, h, steps = cache
    T, N, _ = projection.x.shape  # time-major, as the forward ran
    H = Wh.shape[0]
    dprev_h = np.zeros_like(dh[:, 0])
    da = np.empty_like(dh, shape=(T, N, H))
    for t in reversed(range(T)):
        # reverse of: h[:, t] = next_h, which also feeds step t + 1
        dprev_h = _step_backward(dh[:, t] + dprev_h, steps[t], Wh, da[t])
    h_prev = h[:T].reshape(T * N, H)
    # reverse of: a = x Wx + b (a temporal affine layer, time-major), and of the prev_h Wh terms
    dx, dWx, db = temporal_affine_backward(da, projection)
    dWh = h_prev.T @ da.reshape(T * N, H)
    return dx.transpose(1, 0, 2).copy(), dprev_h, dWx, dWh, db
