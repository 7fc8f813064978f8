"""LSTM: step and sequence, forward and backward, pure NumPy.

Shapes: N batch, T time, D input, H hidden. The 4H axis of Wx, Wh and b
holds the gate blocks in the order i, f, o, g (input, forget, output gates
and the candidate cell value).
"""
from collections import namedtuple

import numpy as np

from .activations import sigmoid_in_place
from .gates import gate_blocks, gate_projection
from .temporal import TemporalAffineCache, temporal_affine_backward

# What one step's backward needs besides the weights (in the sequence: views of the forward's buffers).
LSTMStep = namedtuple("LSTMStep", "prev_h prev_c i f o g tanh_next_c")
LSTMStepCache = namedtuple("LSTMStepCache", "x Wx Wh step")
LSTMCache = namedtuple("LSTMCache", "projection Wh h steps")


def _step(a, prev_h, prev_c, Wh, next_h, next_c, tanh_next_c):
    """One LSTM step, in place on our own buffers.

    a (4, N, H) holds x Wx + b gate-major on entry (see gates.py) and the
    gates i, f, o, g on return: they are what the backward needs, so that
    buffer is also the cache. next_h, next_c and tanh_next_c (N, H) are
    written. Returns the step's LSTMStep.
    """
    # a = x Wx + b + prev_h Wh = [a_i, a_f, a_o, a_g]; then, in place,
    # i, f, o = sigmoid(a_i, a_f, a_o) and g = tanh(a_g)
    a += gate_blocks(prev_h @ Wh, 4)
    sigmoid_in_place(a[:3])
    i, f, o, g = a
    np.tanh(g, out=g)
    # next_c = f * prev_c + i * g;  next_h = o * tanh(next_c)
    np.multiply(f, prev_c, out=next_c)
    next_c += i * g
    np.tanh(next_c, out=tanh_next_c)
    np.multiply(o, tanh_next_c, out=next_h)
    return LSTMStep(prev_h, prev_c, i, f, o, g, tanh_next_c)


def _step_backward(dnext_h, dnext_c, step, Wh, da):
    """Gradients of one step's pre-activations, written into da (N, 4H), and of prev_h and prev_c."""
    prev_h, prev_c, i, f, o, g, tanh_next_c = step
    da_i, da_f, da_o, da_g = gate_blocks(da, 4)
    # reverse of: next_h = o * tanh(next_c)
    do = dnext_h * tanh_next_c
    dnext_c = dnext_c + dnext_h * o * (1 - tanh_next_c ** 2)
    # reverse of: next_c = f * prev_c + i * g
    di = dnext_c * g
    df = dnext_c * prev_c
    dprev_c = dnext_c * f
    dg = dnext_c * i
    # reverse of: i, f, o = sigmoid(a_i, a_f, a_o) and g = tanh(a_g), into da's gate blocks
    np.multiply(di * i, 1 - i, out=da_i)
    np.multiply(df * f, 1 - f, out=da_f)
    np.multiply(do * o, 1 - o, out=da_o)
    np.multiply(dg, 1 - g ** 2, out=da_g)
    # reverse of: a = x Wx + prev_h Wh + b, the prev_h term
    dprev_h = da @ Wh.T
    return dprev_h, dprev_c


def lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b):
    """
    Forward pass of one timestep of an LSTM.

        a = x Wx + prev_h Wh + b           (N, 4H) = [a_i | a_f | a_o | a_g]
        i = sigmoid(a_i),  f = sigmoid(a_f),  o = sigmoid(a_o),  g = tanh(a_g)
        next_c = f * prev_c + i * g
        next_h = o * tanh(next_c)

    Inputs:
    - x: input of this timestep, shape (N, D)
    - prev_h: hidden state of the previous timestep, shape (N, H)
    - prev_c: cell state of the previous timestep, shape (N, H)
    - Wx: input-to-hidden weights, gate blocks i, f, o, g, shape (D, 4H)
    - Wh: hidden-to-hidden weights, gate blocks i, f, o, g, shape (H, 4H)
    - b: biases, gate blocks i, f, o, g, shape (4H,)

    Returns a tuple of:
    - next_h: next hidden state, shape (N, H)
    - next_c: next cell state, shape (N, H)
    - cache: LSTMStepCache for lstm_step_backward
    """
    next_h, next_c, tanh_next_c = np.empty_like(prev_h), np.empty_like(prev_c), np.empty_like(prev_c)
    step = _step(gate_projection(x, Wx, b, 4), prev_h, prev_c, Wh, next_h, next_c, tanh_next_c)
    return next_h, next_c, LSTMStepCache(x, Wx, Wh, step)


def lstm_step_backward(dnext_h, dnext_c, cache):
    """
    Backward pass of one timestep of an LSTM.

    Derivation, local derivatives in reverse order of the forward:
    - next_h = o * tanh(next_c):
      do = dnext_h * tanh(next_c);
      next_c reaches the loss directly and through next_h, so its total
      gradient is dnext_c + dnext_h * o * (1 - tanh(next_c) ** 2)
    - next_c = f * prev_c + i * g (with that total dnext_c):
      di = dnext_c * g,  df = dnext_c * prev_c,  dprev_c = dnext_c * f,
      dg = dnext_c * i
    - i, f, o = sigmoid(a_i, a_f, a_o), g = tanh(a_g):
      da_i = di * i * (1 - i),  da_f = df * f * (1 - f),
      da_o = do * o * (1 - o),  da_g = dg * (1 - g ** 2);
      da = [da_i | da_f | da_o | da_g], shape (N, 4H)
    - a = x Wx + prev_h Wh + b:
      dx = da Wx^T,  dprev_h = da Wh^T,  dWx = x^T da,  dWh = prev_h^T da,
      db = sum of da over the batch

    Inputs:
    - dnext_h: gradient of the loss with respect to next_h, shape (N, H)
    - dnext_c: gradient of the loss with respect to next_c, shape (N, H)
    - cache: LSTMStepCache from lstm_step_forward

    Returns a tuple of:
    - dx: gradient of the input, shape (N, D)
    - dprev_h: gradient of the previous hidden state, shape (N, H)
    - dprev_c: gradient of the previous cell state, shape (N, H)
    - dWx: gradient of the input-to-hidden weights, shape (D, 4H)
    - dWh: gradient of the hidden-to-hidden weights, shape (H, 4H)
    - db: gradient of the biases, shape (4H,)
    """
    x, Wx, Wh, step = cache
    N, H = step.i.shape
    da = np.empty_like(step.i, shape=(N, 4 * H))  # [da_i | da_f | da_o | da_g]
    dprev_h, dprev_c = _step_backward(dnext_h, dnext_c, step, Wh, da)
    # reverse of: a = x Wx + prev_h Wh + b, the weight, bias and x terms
    dx = da @ Wx.T
    dWx = x.T @ da
    dWh = step.prev_h.T @ da
    db = da.sum(axis=0)
    return dx, dprev_h, dprev_c, dWx, dWh, db


def lstm_forward(x, h0, Wx, Wh, b):
    """
    Forward pass of an LSTM over a whole sequence of T timesteps.

    Each timestep is lstm_step_forward's recurrence (gate blocks i, f, o, g);
    the hidden state starts at h0 and the cell state at zero:

        a = x[:, t] Wx + h[:, t - 1] Wh + b        (N, 4H) = [a_i | a_f | a_o | a_g]
        i = sigmoid(a_i),  f = sigmoid(a_f),  o = sigmoid(a_o),  g = tanh(a_g)
        c[:, t] = f * c[:, t - 1] + i * g
        h[:, t] = o * tanh(c[:, t])
        with h[:, -1] = h0 and c[:, -1] = 0

    The input projections x[:, t] Wx + b of all timesteps are computed
    before the recurrence, one matrix product per gate, into one buffer
    a (4, T, N, H): gate-major (see gates.py) and time-major, so that step
    t's gate blocks a[k, t] are each one contiguous (N, H) block. Step t
    turns a[:, t] into its gates in place, so that one buffer is both the
    working memory and the cache. The hidden and cell states live in
    shifted (T + 1, N, H) buffers; only the hidden states are returned, as
    a fresh array (the cache keeps its own).

    Inputs:
    - x: input sequence, shape (N, T, D)
    - h0: initial hidden state, shape (N, H)
    - Wx: input-to-hidden weights, shape (D, 4H)
    - Wh: hidden-to-hidden weights, shape (H, 4H)
    - b: biases, shape (4H,)

    Returns a tuple of:
    - h: hidden states of all timesteps, shape (N, T, H)
    - cache: LSTMCache for lstm_backward
    """
    N, T, D = x.shape
    H = h0.shape[1]
    # a[k, t] = x[:, t] Wx_k + b_k for every gate k and timestep t at once: the temporal affine
    # layer x Wx + b on time-major x, laid out gate-major; its backward is temporal_affine_backward
    x_time_major = np.ascontiguousarray(x.transpose(1, 0, 2))
    projection = TemporalAffineCache(x_time_major, Wx)
    a = gate_projection(x_time_major.reshape(T * N, D), Wx, b, 4).reshape(4, T, N, H)
    # h[t] is step t's prev_h and h[t + 1] its next_h (h[0] = h0); the same for c (c[0] = 0)
    h = np.empty_like(a, shape=(T + 1, N, H))
    c = np.empty_like(h)
    tanh_c = np.empty_like(a, shape=(T, N, H))
    h[0], c[0] = h0, 0
    steps = []
    for t in range(T):
        steps.append(_step(a[:, t], h[t], c[t], Wh, h[t + 1], c[t + 1], tanh_c[t]))
    return h[1:].transpose(1, 0, 2).copy(), LSTMCache(projection, Wh, h, steps)


def lstm_backward(dh, cache):
    """
    Backward pass of an LSTM over a whole sequence.

    Derivation, from t = T - 1 down to 0: h[:, t] feeds the loss directly
    and feeds step t + 1, so its gradient is dh[:, t] plus dprev_h of step
    t + 1; the cell state c[:, t] only feeds step t + 1, so its gradient is
    that step's dprev_c (zero after the last step). Step t's backward (see
    lstm_step_backward) turns them into da[t] (N, 4H), dprev_h and dprev_c;
    da is time-major, (T, N, 4H), with the gate blocks side by side, as the
    products with the weights want them.
    The weights are shared by all steps, so their gradients are sums over t,
    each taken once over all timesteps:
    dx = da Wx^T,  dWx = x^T da,  dWh = h_prev^T da,  db = sum of da,
    where h_prev[:, t] = h[:, t - 1] (h0 for t = 0); dh0 is step 0's dprev_h
    (the initial cell state is a constant, its gradient is dropped).

    Inputs:
    - dh: upstream gradients of all hidden states, shape (N, T, H)
    - cache: LSTMCache from lstm_forward

    Returns a tuple of:
    - dx: gradient of the inputs, shape (N, T, D)
    - dh0: gradient of the initial hidden state, shape (N, H)
    - dWx: gradient of the input-to-hidden weights, shape (D, 4H)
    - dWh: gradient of the hidden-to-hidden weights, shape (H, 4H)
    - db: gradient of the biases, shape (4H,)
    """
    projection, Wh, h, steps = cache
    T, N, _ = projection.x.shape  # time-major, as the forward ran
    H = Wh.shape[0]
    dprev_h = np.zeros_like(dh[:, 0])
    dprev_c = np.zeros_like(dh[:, 0])
    da = np.empty_like(dh, shape=(T, N, 4 * H))
    for t in reversed(range(T)):
        # reverse of: h[:, t], c[:, t] = next_h, next_c, which also feed step t + 1
        dprev_h, dprev_c = _step_backward(dh[:, t] + dprev_h, dprev_c, steps[t], Wh, da[t])
    h_prev = h[:T].reshape(T * N, H)
    # reverse of: a = x Wx + b (a temporal affine layer, time-major), and of the prev_h Wh terms
    dx, dWx, db = temporal_affine_backward(da, projection)
    dWh = h_prev.T @ da.reshape(T * N, 4 * H)
    return dx.transpose(1, 0, 2).copy(), dprev_h, dWx, dWh, db
