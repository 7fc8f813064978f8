"""GRU as autograd graphs; gate blocks of the 3H axis in order r, z, n.

N batch, T time, D input, H hidden.
"""
import autograd.numpy as np

from ._sequence import unroll
from ._vjp import layer
from .activations import sigmoid


def gru_cell(x_projection, prev_h, Wh_rz, Wh_n):
    """One GRU step from x_projection = x Wx + b (N, 3H) and Wh = [Wh_rz | Wh_n]; returns (next_h,).

        r = sigmoid(ax_r + prev_h Wh_r)
        z = sigmoid(ax_z + prev_h Wh_z)
        n = tanh(ax_n + (r * prev_h) Wh_n)
        next_h = (1 - z) * n + z * prev_h
    """
    ax_rz, ax_n = np.split(x_projection, [2 * prev_h.shape[1]], axis=1)
    r, z = np.split(sigmoid(ax_rz + np.dot(prev_h, Wh_rz)), 2, axis=1)
    n = np.tanh(ax_n + np.dot(r * prev_h, Wh_n))
    return ((1 - z) * n + z * prev_h,)


def _gate_weights(Wh):
    """Wh (H, 3H) -> [Wh_r | Wh_z] (H, 2H), Wh_n (H, H): split once, not at every step."""
    return np.split(Wh, [2 * Wh.shape[0]], axis=1)


def gru_step(x, prev_h, Wx, Wh, b):
    """One GRU step (see ``gru_cell``).

    x (N, D), prev_h (N, H), Wx (D, 3H), Wh (H, 3H), b (3H,) -> next_h (N, H).
    """
    return gru_cell(np.dot(x, Wx) + b, prev_h, *_gate_weights(Wh))[0]


def gru(x, h0, Wx, Wh, b):
    """The GRU over a sequence: x (N, T, D), h0 (N, H) -> h (N, T, H)."""
    return unroll(gru_cell, x, Wx, b, (h0,), *_gate_weights(Wh))


gru_step_forward, gru_step_backward = layer(gru_step, upstream=("dnext_h",))
gru_forward, gru_backward = layer(gru, upstream=("dh",))
