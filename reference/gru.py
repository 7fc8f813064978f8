"""GRU as autograd graphs; gate blocks of the 3H axis in order r, z, n.

N batch, T time, D input, H hidden.
"""
import autograd.numpy as np

from ._vjp import layer
from .activations import sigmoid
from .rnn import unroll


def gru_step(x, prev_h, Wx, Wh, b):
    """One GRU step.

        r = sigmoid(x Wx_r + prev_h Wh_r + b_r)
        z = sigmoid(x Wx_z + prev_h Wh_z + b_z)
        n = tanh(x Wx_n + (r * prev_h) Wh_n + b_n)
        next_h = (1 - z) * n + z * prev_h

    x (N, D), prev_h (N, H), Wx (D, 3H), Wh (H, 3H), b (3H,) -> next_h (N, H).
    """
    H = prev_h.shape[1]
    ax = np.dot(x, Wx) + b
    ah = np.dot(prev_h, Wh[:, :2 * H])
    r = sigmoid(ax[:, 0 * H:1 * H] + ah[:, 0 * H:1 * H])
    z = sigmoid(ax[:, 1 * H:2 * H] + ah[:, 1 * H:2 * H])
    n = np.tanh(ax[:, 2 * H:3 * H] + np.dot(r * prev_h, Wh[:, 2 * H:3 * H]))
    return (1 - z) * n + z * prev_h


def gru(x, h0, Wx, Wh, b):
    """The GRU over a sequence: x (N, T, D), h0 (N, H) -> h (N, T, H)."""
    return unroll(gru_step, x, h0, Wx, Wh, b)


gru_step_forward, gru_step_backward = layer(gru_step, upstream=("dnext_h",))
gru_forward, gru_backward = layer(gru, upstream=("dh",))
