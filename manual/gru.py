"""GRU: step and sequence, forward and backward, pure NumPy.

Shapes: N batch, T time, D input, H hidden. The 3H axis of Wx, Wh and b
holds the gate blocks in the order r, z, n (reset gate, update gate and the
candidate state). The reset gate multiplies the previous hidden state before
it meets Wh_n (the original formulation, not PyTorch's variant).
"""
from collections import namedtuple

import numpy as np

from .activations import sigmoid_in_place
from .gates import gate_blocks, gate_projection
from .temporal import TemporalAffineCache, temporal_affine_backward

# What one step's backward needs besides the weights (in the sequence: views of the forward's buffers).
GRUStep = namedtuple("GRUStep", "prev_h r z n reset_h")
GRUStepCache = namedtuple("GRUStepCache", "x Wx Wh step")
GRUCache = namedtuple("GRUCache", "projection Wh h reset_h steps")


def _step(a, prev_h, Wh, next_h, reset_h):
    """One GRU step, in place on our own buffers.

    a (3, N, H) holds x Wx + b gate-major on entry (see gates.py) and
    r, z, n on return: they are what the backward needs, so that buffer is
    also the cache. next_h and reset_h = r * prev_h (N, H) are written.
    Returns the step's GRUStep.
    """
    H = prev_h.shape[1]
    # r, z = sigmoid(ax_r + prev_h Wh_r), sigmoid(ax_z + prev_h Wh_z), in place in a
    a[:2] += gate_blocks(prev_h @ Wh[:, :2 * H], 2)
    sigmoid_in_place(a[:2])
    r, z, n = a
    # n = tanh(ax_n + (r * prev_h) Wh_n), in place in a
    np.multiply(r, prev_h, out=reset_h)
    n += reset_h @ Wh[:, 2 * H:]
    np.tanh(n, out=n)
    np.add((1 - z) * n, z * prev_h, out=next_h)
    return GRUStep(prev_h, r, z, n, reset_h)


def _step_backward(dnext_h, step, Wh, da):
    """Gradients of one step's pre-activations, written into da (N, 3H), and of prev_h."""
    prev_h, r, z, n, reset_h = step
    H = prev_h.shape[1]
    da_r, da_z, da_n = gate_blocks(da, 3)
    # reverse of: next_h = (1 - z) * n + z * prev_h
    dn = dnext_h * (1 - z)
    dz = dnext_h * (prev_h - n)
    dprev_h = dnext_h * z
    # reverse of: n = tanh(a_n)
    np.multiply(dn, 1 - n ** 2, out=da_n)
    # reverse of: a_n = x Wx_n + reset_h Wh_n + b_n, the reset_h term
    dreset_h = da_n @ Wh[:, 2 * H:].T
    # reverse of: reset_h = r * prev_h
    dr = dreset_h * prev_h
    dprev_h += dreset_h * r
    # reverse of: r, z = sigmoid(a_r), sigmoid(a_z)
    np.multiply(dr * r, 1 - r, out=da_r)
    np.multiply(dz * z, 1 - z, out=da_z)
    # reverse of: a_r, a_z = x Wx_rz + prev_h Wh_rz + b_rz, the prev_h term
    dprev_h += da[:, :2 * H] @ Wh[:, :2 * H].T
    return dprev_h


def _weight_gradient_h(prev_h, reset_h, da):
    """dWh: prev_h meets Wh_r and Wh_z, reset_h meets Wh_n; (H, 3H)."""
    H = prev_h.shape[1]
    return np.concatenate([prev_h.T @ da[:, :2 * H], reset_h.T @ da[:, 2 * H:]], axis=1)


def gru_step_forward(x, prev_h, Wx, Wh, b):
    """
    Forward pass of one timestep of a GRU.

        [ax_r | ax_z | ax_n] = x Wx + b                      (N, 3H)
        r = sigmoid(ax_r + prev_h Wh_r)
        z = sigmoid(ax_z + prev_h Wh_z)
        n = tanh(ax_n + (r * prev_h) Wh_n)
        next_h = (1 - z) * n + z * prev_h

    Inputs:
    - x: input of this timestep, shape (N, D)
    - prev_h: hidden state of the previous timestep, shape (N, H)
    - Wx: input-to-hidden weights, gate blocks r, z, n, shape (D, 3H)
    - Wh: hidden-to-hidden weights, gate blocks r, z, n, shape (H, 3H)
    - b: biases, gate blocks r, z, n, shape (3H,)

    Returns a tuple of:
    - next_h: next hidden state, shape (N, H)
    - cache: GRUStepCache for gru_step_backward
    """
    next_h, reset_h = np.empty_like(prev_h), np.empty_like(prev_h)
    step = _step(gate_projection(x, Wx, b, 3), prev_h, Wh, next_h, reset_h)
    return next_h, GRUStepCache(x, Wx, Wh, step)


def gru_step_backward(dnext_h, cache):
    """
    Backward pass of one timestep of a GRU.

    Derivation, local derivatives in reverse order of the forward, with
    reset_h = r * prev_h, a_r, a_z, a_n the pre-activations of r, z, n:
    - next_h = (1 - z) * n + z * prev_h:
      dn = dnext_h * (1 - z),  dz = dnext_h * (prev_h - n),
      dprev_h = dnext_h * z  (first of three contributions)
    - n = tanh(a_n):  da_n = dn * (1 - n ** 2)
    - a_n = x Wx_n + reset_h Wh_n + b_n:
      dreset_h = da_n Wh_n^T,  dWh_n = reset_h^T da_n
    - reset_h = r * prev_h:  dr = dreset_h * prev_h,  dprev_h += dreset_h * r
    - r = sigmoid(a_r), z = sigmoid(a_z):
      da_r = dr * r * (1 - r),  da_z = dz * z * (1 - z)
    - a_r, a_z = x Wx_rz + prev_h Wh_rz + b_rz:
      dprev_h += [da_r | da_z] Wh_rz^T,  dWh_rz = prev_h^T [da_r | da_z]
    - with da = [da_r | da_z | da_n], all three gates see x Wx + b:
      dx = da Wx^T,  dWx = x^T da,  db = sum of da over the batch

    Inputs:
    - dnext_h: gradient of the loss with respect to next_h, shape (N, H)
    - cache: GRUStepCache from gru_step_forward

    Returns a tuple of:
    - dx: gradient of the input, shape (N, D)
    - dprev_h: gradient of the previous hidden state, shape (N, H)
    - dWx: gradient of the input-to-hidden weights, shape (D, 3H)
    - dWh: gradient of the hidden-to-hidden weights, shape (H, 3H)
    - db: gradient of the biases, shape (3H,)
    """
    x, Wx, Wh, step = cache
    N, H = step.n.shape
    da = np.empty_like(step.n, shape=(N, 3 * H))  # [da_r | da_z | da_n]
    dprev_h = _step_backward(dnext_h, step, Wh, da)
    # reverse of: x Wx + b, and of the prev_h Wh_rz and reset_h Wh_n weight terms
    dx = da @ Wx.T
    dWx = x.T @ da
    dWh = _weight_gradient_h(step.prev_h, step.reset_h, da)
    db = da.sum(axis=0)
    return dx, dprev_h, dWx, dWh, db


def gru_forward(x, h0, Wx, Wh, b):
    """
    Forward pass of a GRU over a whole sequence of T timesteps.

    Each timestep is gru_step_forward's recurrence (gate blocks r, z, n),
    starting from h0:

        [ax_r | ax_z | ax_n] = x[:, t] Wx + b                   (N, 3H)
        r = sigmoid(ax_r + h[:, t - 1] Wh_r)
        z = sigmoid(ax_z + h[:, t - 1] Wh_z)
        n = tanh(ax_n + (r * h[:, t - 1]) Wh_n)
        h[:, t] = (1 - z) * n + z * h[:, t - 1]
        with h[:, -1] = h0

    The input projections x[:, t] Wx + b of all timesteps are computed
    before the recurrence, one matrix product per gate, into one buffer
    a (3, T, N, H): gate-major (see gates.py) and time-major, so that step
    t's gate blocks a[k, t] are each one contiguous (N, H) block. Step t
    turns a[:, t] into r, z, n in place, so that one buffer is both the
    working memory and the cache; h and reset_h = r * h_prev live in
    (T + 1, N, H) and (T, N, H) buffers. The hidden states are returned as
    a fresh array (the cache keeps its own).

    Inputs:
    - x: input sequence, shape (N, T, D)
    - h0: initial hidden state, shape (N, H)
    - Wx: input-to-hidden weights, shape (D, 3H)
    - Wh: hidden-to-hidden weights, shape (H, 3H)
    - b: biases, shape (3H,)

    Returns a tuple of:
    - h: hidden states of all timesteps, shape (N, T, H)
    - cache: GRUCache for gru_backward
    """
    N, T, D = x.shape
    H = h0.shape[1]
    # a[k, t] = x[:, t] Wx_k + b_k for every gate k and timestep t at once: the temporal affine
    # layer x Wx + b on time-major x, laid out gate-major; its backward is temporal_affine_backward
    x_time_major = np.ascontiguousarray(x.transpose(1, 0, 2))
    projection = TemporalAffineCache(x_time_major, Wx)
    a = gate_projection(x_time_major.reshape(T * N, D), Wx, b, 3).reshape(3, T, N, H)
    h = np.empty_like(a, shape=(T + 1, N, H))  # h[t] is step t's prev_h, h[t + 1] its next_h
    reset_h = np.empty_like(a, shape=(T, N, H))
    h[0] = h0
    steps = []
    for t in range(T):
        steps.append(_step(a[:, t], h[t], Wh, h[t + 1], reset_h[t]))
    return h[1:].transpose(1, 0, 2).copy(), GRUCache(projection, Wh, h, reset_h, steps)


def gru_backward(dh, cache):
    """
    Backward pass of a GRU over a whole sequence.

    Derivation, from t = T - 1 down to 0: h[:, t] feeds the loss directly
    and feeds step t + 1, so its gradient is dh[:, t] plus dprev_h of step
    t + 1; step t's backward (see gru_step_backward) turns it into
    da[t] = [da_r | da_z | da_n] (N, 3H; da is time-major, (T, N, 3H), the
    gate blocks side by side as the products with the weights want them)
    and dprev_h. The weights are shared by all steps,
    so their gradients are sums over t, each taken once over all timesteps:
    dx = da Wx^T,  dWx = x^T da,  db = sum of da,
    dWh = [h_prev^T [da_r | da_z] | reset_h^T da_n],
    where h_prev[:, t] = h[:, t - 1] (h0 for t = 0) and reset_h[:, t] is
    step t's r * h_prev; dh0 is step 0's dprev_h.

    Inputs:
    - dh: upstream gradients of all hidden states, shape (N, T, H)
    - cache: GRUCache from gru_forward

    Returns a tuple of:
    - dx: gradient of the inputs, shape (N, T, D)
    - dh0: gradient of the initial hidden state, shape (N, H)
    - dWx: gradient of the input-to-hidden weights, shape (D, 3H)
    - dWh: gradient of the hidden-to-hidden weights, shape (H, 3H)
    - db: gradient of the biases, shape (3H,)
    """
    projection, Wh, h, reset_h, steps = cache
    T, N, _ = projection.x.shape  # time-major, as the forward ran
    H = Wh.shape[0]
    dprev_h = np.zeros_like(dh[:, 0])
    da = np.empty_like(dh, shape=(T, N, 3 * H))
    for t in reversed(range(T)):
        # reverse of: h[:, t] = next_h, which also feeds step t + 1
        dprev_h = _step_backward(dh[:, t] + dprev_h, steps[t], Wh, da[t])
    h_prev, reset_h = h[:T].reshape(T * N, H), reset_h.reshape(T * N, H)
    # reverse of: a = x Wx + b (a temporal affine layer, time-major), and of the Wh terms
    dx, dWx, db = temporal_affine_backward(da, projection)
    dWh = _weight_gradient_h(h_prev, reset_h, da.reshape(T * N, 3 * H))
    return dx.transpose(1, 0, 2).copy(), dprev_h, dWx, dWh, db
