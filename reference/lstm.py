"""LSTM as autograd graphs; gate blocks of the 4H axis in order i, f, o, g.

N batch, T time, D input, H hidden.
"""
import autograd.numpy as np

from ._sequence import projection_blocks, unroll
from ._vjp import layer, traced_tuple
from .activations import sigmoid


def lstm_cell(x_projection, prev_h, prev_c, Wh):
    """One LSTM step from x_projection = x Wx + b (N, 4H); returns (next_h, next_c).

        a = x_projection + prev_h Wh          (N, 4H) = [a_i | a_f | a_o | a_g]
        i, f, o = sigmoid(a_i), sigmoid(a_f), sigmoid(a_o);  g = tanh(a_g)
        next_c = f * prev_c + i * g
        next_h = o * tanh(next_c)
    """
    a_ifo, a_g = np.split(x_projection + prev_h @ Wh, [3 * prev_h.shape[1]], axis=1)
    i, f, o = np.split(sigmoid(a_ifo), 3, axis=1)  # one sigmoid for the three gates
    next_c = f * prev_c + i * np.tanh(a_g)
    return o * np.tanh(next_c), next_c


def lstm_step(x, prev_h, prev_c, Wx, Wh, b):
    """One LSTM step (see ``lstm_cell``).

    x (N, D), prev_h (N, H), prev_c (N, H), Wx (D, 4H), Wh (H, 4H), b (4H,)
    -> next_h (N, H), next_c (N, H).
    """
    return traced_tuple(lstm_cell(*projection_blocks(x, Wx, b, ()), prev_h, prev_c, Wh))


def lstm(x, h0, Wx, Wh, b):
    """LSTM over a sequence, initial cell state zero.

    x (N, T, D), h0 (N, H) -> h (N, T, H).
    """
    return unroll(lstm_cell, x, Wx, b, (h0, np.zeros(h0.shape)), (Wh,))


lstm_step_forward, lstm_step_backward = layer(lstm_step, upstream=("dnext_h", "dnext_c"))
lstm_forward, lstm_backward = layer(lstm, upstream=("dh",))
