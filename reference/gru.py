"""GRU as autograd graphs; gate blocks of the 3H axis in order r, z, n.

N batch, T time, D input, H hidden.
"""
import autograd.numpy as np

from ._sequence import projection_blocks, unroll
from ._vjp import layer
from .activations import sigmoid


def gru_cell(ax_rz, ax_n, prev_h, Wh_rz, Wh_n):
    """One GRU step from the input projection [ax_rz | ax_n] = x Wx + b; returns (next_h,).

        r, z = sigmoid(ax_rz + prev_h Wh_rz)           two (N, H) blocks of one (N, 2H)
        n = tanh(ax_n + (r * prev_h) Wh_n)
        next_h = (1 - z) * n + z * prev_h = n + z * (prev_h - n)
    """
    r, z = np.split(sigmoid(ax_rz + prev_h @ Wh_rz), 2, axis=1)
    n = np.tanh(ax_n + (r * prev_h) @ Wh_n)
    return (n + z * (prev_h - n),)


def _blocks(W):
    """Where the gate axis (3H) is cut: [r z | n]."""
    return [2 * W.shape[-1] // 3]


def gru_step(x, prev_h, Wx, Wh, b):
    """One GRU step (see ``gru_cell``).

    x (N, D), prev_h (N, H), Wx (D, 3H), Wh (H, 3H), b (3H,) -> next_h (N, H).
    """
    return gru_cell(*projection_blocks(x, Wx, b, _blocks(Wx)), prev_h, *np.split(Wh, _blocks(Wh), axis=1))[0]


def gru(x, h0, Wx, Wh, b):
    """The GRU over a sequence: x (N, T, D), h0 (N, H) -> h (N, T, H)."""
    return unroll(gru_cell, x, Wx, b, (h0,), np.split(Wh, _blocks(Wh), axis=1), _blocks(Wx))


gru_step_forward, gru_step_backward = layer(gru_step, upstream=("dnext_h",))
gru_forward, gru_backward = layer(gru, upstream=("dh",))
