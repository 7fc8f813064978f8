"""A peephole LSTM, step and sequence, forward and hand-derived backward, pure NumPy.

The layer of ``examples/peephole_course.py``; check it with

    rnncheck examples/peephole_layers.py --course examples/peephole_course.py

Shapes: N batch, T time, D input, H hidden.  The 4H axis of Wx, Wh and b
holds the gate blocks in the order i, f, o, g; p (3H,) holds the diagonal
peephole weights p_i, p_f, p_o.
"""
from collections import namedtuple

import numpy as np

PeepholeStepCache = namedtuple("PeepholeStepCache", "x prev_h prev_c Wx Wh p i f o g next_c tanh_next_c")
PeepholeCache = namedtuple("PeepholeCache", "steps")


def sigmoid(z):
    """The logistic function, without overflow for large |z|."""
    return 0.5 * (np.tanh(0.5 * z) + 1.0)


def peephole_step_forward(x, prev_h, prev_c, Wx, Wh, b, p):
    """
    Forward pass of one timestep of a peephole LSTM:

        a = x Wx + prev_h Wh + b                  (N, 4H) = [a_i | a_f | a_o | a_g]
        i = sigmoid(a_i + p_i * prev_c)
        f = sigmoid(a_f + p_f * prev_c)
        g = tanh(a_g)
        next_c = f * prev_c + i * g
        o = sigmoid(a_o + p_o * next_c)
        next_h = o * tanh(next_c)

    Inputs:
    - x: input data, shape (N, D)
    - prev_h: previous hidden state, shape (N, H)
    - prev_c: previous cell state, shape (N, H)
    - Wx: input-to-hidden weights, shape (D, 4H)
    - Wh: hidden-to-hidden weights, shape (H, 4H)
    - b: biases, shape (4H,)
    - p: peephole weights [p_i | p_f | p_o], shape (3H,)

    Returns a tuple of:
    - next_h: next hidden state, shape (N, H)
    - next_c: next cell state, shape (N, H)
    - cache: PeepholeStepCache for the backward pass
    """
    H = prev_h.shape[1]
    a = x @ Wx + prev_h @ Wh + b
    p_i, p_f, p_o = p[:H], p[H:2 * H], p[2 * H:]
    i = sigmoid(a[:, :H] + p_i * prev_c)
    f = sigmoid(a[:, H:2 * H] + p_f * prev_c)
    g = np.tanh(a[:, 3 * H:])
    next_c = f * prev_c + i * g
    o = sigmoid(a[:, 2 * H:3 * H] + p_o * next_c)
    tanh_next_c = np.tanh(next_c)
    next_h = o * tanh_next_c
    return next_h, next_c, PeepholeStepCache(x, prev_h, prev_c, Wx, Wh, p, i, f, o, g, next_c, tanh_next_c)


def peephole_step_backward(dnext_h, dnext_c, cache):
    """
    Backward pass of one timestep of a peephole LSTM.

    Derivation, local derivatives in reverse order of the forward (sums are
    over the batch; ``*`` is elementwise):
    - next_h = o * tanh(next_c):
      do = dnext_h * tanh(next_c);
      dc = dnext_c + dnext_h * o * (1 - tanh(next_c) ** 2)
    - o = sigmoid(a_o + p_o * next_c), with z_o = a_o + p_o * next_c:
      dz_o = do * o * (1 - o);  da_o = dz_o;  dp_o = sum(dz_o * next_c);
      next_c also reaches the loss through the output gate's peephole:
      dc += dz_o * p_o  (dc is now the total gradient of next_c)
    - next_c = f * prev_c + i * g:
      di = dc * g,  df = dc * prev_c,  dg = dc * i,  dprev_c = dc * f
    - g = tanh(a_g):
      da_g = dg * (1 - g ** 2)
    - f = sigmoid(a_f + p_f * prev_c), with z_f = a_f + p_f * prev_c:
      dz_f = df * f * (1 - f);  da_f = dz_f;  dp_f = sum(dz_f * prev_c);
      dprev_c += dz_f * p_f
    - i = sigmoid(a_i + p_i * prev_c), with z_i = a_i + p_i * prev_c:
      dz_i = di * i * (1 - i);  da_i = dz_i;  dp_i = sum(dz_i * prev_c);
      dprev_c += dz_i * p_i
    - a = x Wx + prev_h Wh + b, with da = [da_i | da_f | da_o | da_g] (N, 4H):
      dx = da Wx^T,  dprev_h = da Wh^T,  dWx = x^T da,  dWh = prev_h^T da,
      db = sum(da);  dp = [dp_i | dp_f | dp_o] (3H,)

    Inputs:
    - dnext_h: gradient of the loss with respect to next_h, shape (N, H)
    - dnext_c: gradient of the loss with respect to next_c, shape (N, H)
    - cache: PeepholeStepCache from peephole_step_forward

    Returns a tuple of:
    - dx: gradient of the input, shape (N, D)
    - dprev_h: gradient of the previous hidden state, shape (N, H)
    - dprev_c: gradient of the previous cell state, shape (N, H)
    - dWx: gradient of the input-to-hidden weights, shape (D, 4H)
    - dWh: gradient of the hidden-to-hidden weights, shape (H, 4H)
    - db: gradient of the biases, shape (4H,)
    - dp: gradient of the peephole weights, shape (3H,)
    """
    x, prev_h, prev_c, Wx, Wh, p, i, f, o, g, next_c, tanh_next_c = cache
    H = prev_h.shape[1]
    p_i, p_f, p_o = p[:H], p[H:2 * H], p[2 * H:]
    # reverse of: next_h = o * tanh(next_c)
    do = dnext_h * tanh_next_c
    dc = dnext_c + dnext_h * o * (1 - tanh_next_c ** 2)
    # reverse of: o = sigmoid(a_o + p_o * next_c)
    da_o = do * o * (1 - o)
    dp_o = (da_o * next_c).sum(axis=0)
    dc = dc + da_o * p_o
    # reverse of: next_c = f * prev_c + i * g
    di, df, dg, dprev_c = dc * g, dc * prev_c, dc * i, dc * f
    # reverse of: g = tanh(a_g)
    da_g = dg * (1 - g ** 2)
    # reverse of: f = sigmoid(a_f + p_f * prev_c)
    da_f = df * f * (1 - f)
    dp_f = (da_f * prev_c).sum(axis=0)
    dprev_c = dprev_c + da_f * p_f
    # reverse of: i = sigmoid(a_i + p_i * prev_c)
    da_i = di * i * (1 - i)
    dp_i = (da_i * prev_c).sum(axis=0)
    dprev_c = dprev_c + da_i * p_i
    # reverse of: a = x Wx + prev_h Wh + b
    da = np.concatenate([da_i, da_f, da_o, da_g], axis=1)
    dx, dprev_h = da @ Wx.T, da @ Wh.T
    dWx, dWh, db = x.T @ da, prev_h.T @ da, da.sum(axis=0)
    dp = np.concatenate([dp_i, dp_f, dp_o])
    return dx, dprev_h, dprev_c, dWx, dWh, db, dp


def peephole_forward(x, h0, Wx, Wh, b, p):
    """
    Forward pass of a peephole LSTM over a whole sequence of T timesteps:
    peephole_step_forward at every timestep, the hidden state starting at
    h0 and the cell state at zero.

    Inputs:
    - x: input data, shape (N, T, D)
    - h0: initial hidden state, shape (N, H)
    - Wx, Wh, b, p: as in peephole_step_forward

    Returns a tuple of:
    - h: hidden states of every timestep, shape (N, T, H)
    - cache: PeepholeCache (the step caches, in time order)
    """
    N, T, _ = x.shape
    h = np.empty((N, T, h0.shape[1]))
    prev_h, prev_c, steps = h0, np.zeros_like(h0), []
    for t in range(T):
        prev_h, prev_c, step = peephole_step_forward(x[:, t], prev_h, prev_c, Wx, Wh, b, p)
        h[:, t] = prev_h
        steps.append(step)
    return h, PeepholeCache(steps)


def peephole_backward(dh, cache):
    """
    Backward pass of a peephole LSTM over a whole sequence.

    Derivation, the timesteps in reverse order:
    - h[:, t] is both an output and the next step's prev_h, so the gradient
      reaching step t's next_h is dh[:, t] plus the dprev_h of step t + 1;
      its next_c gets the dprev_c of step t + 1 (zero at the last step);
      then peephole_step_backward (see there).
    - Wx, Wh, b and p are shared by every step: their gradients are summed
      over the timesteps.
    - h0 is step 0's prev_h: dh0 = dprev_h of step 0.  The initial cell
      state is the constant zero: its gradient is dropped.

    Inputs:
    - dh: upstream gradients of all hidden states, shape (N, T, H)
    - cache: PeepholeCache from peephole_forward

    Returns a tuple of:
    - dx: gradient of the input, shape (N, T, D)
    - dh0: gradient of the initial hidden state, shape (N, H)
    - dWx, dWh, db, dp: gradients of the weights, biases and peepholes
    """
    steps = cache.steps
    N, T, H = dh.shape
    dx = np.empty((N, T, steps[0].x.shape[1]))
    dprev_h, dprev_c = np.zeros((N, H)), np.zeros((N, H))
    dWx, dWh = np.zeros_like(steps[0].Wx), np.zeros_like(steps[0].Wh)
    db, dp = np.zeros(4 * H), np.zeros(3 * H)
    for t in reversed(range(T)):
        # reverse of: h[:, t], prev_c = peephole_step_forward(x[:, t], h[:, t - 1], prev_c, ...)
        dx[:, t], dprev_h, dprev_c, dWx_t, dWh_t, db_t, dp_t = peephole_step_backward(
            dh[:, t] + dprev_h, dprev_c, steps[t])
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
        dp += dp_t
    return dx, dprev_h, dWx, dWh, db, dp
