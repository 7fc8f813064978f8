"""LSTM as autograd graphs; gate blocks of the 4H axis in order i, f, o, g.

N batch, T time, D input, H hidden.
"""
import autograd.numpy as np

from ._vjp import layer, traced_tuple
from .activations import sigmoid


def lstm_step(x, prev_h, prev_c, Wx, Wh, b):
    """One LSTM step.

        a = x Wx + prev_h Wh + b              (N, 4H) = [a_i | a_f | a_o | a_g]
        i, f, o = sigmoid(a_i), sigmoid(a_f), sigmoid(a_o);  g = tanh(a_g)
        next_c = f * prev_c + i * g
        next_h = o * tanh(next_c)

    x (N, D), prev_h (N, H), prev_c (N, H), Wx (D, 4H), Wh (H, 4H), b (4H,)
    -> next_h (N, H), next_c (N, H).
    """
    H = prev_h.shape[1]
    a = np.dot(x, Wx) + np.dot(prev_h, Wh) + b
    i = sigmoid(a[:, 0 * H:1 * H])
    f = sigmoid(a[:, 1 * H:2 * H])
    o = sigmoid(a[:, 2 * H:3 * H])
    g = np.tanh(a[:, 3 * H:4 * H])
    next_c = f * prev_c + i * g
    next_h = o * np.tanh(next_c)
    return traced_tuple((next_h, next_c))


def lstm(x, h0, Wx, Wh, b):
    """LSTM over a sequence, initial cell state zero.

    x (N, T, D), h0 (N, H) -> h (N, T, H).
    """
    h, c, hs = h0, np.zeros(h0.shape), []
    for t in range(x.shape[1]):
        state = lstm_step(x[:, t, :], h, c, Wx, Wh, b)
        h, c = state[0], state[1]
        hs.append(h)
    return np.stack(hs, axis=1)


lstm_step_forward, lstm_step_backward = layer(lstm_step, upstream=("dnext_h", "dnext_c"))
lstm_forward, lstm_backward = layer(lstm, upstream=("dh",))
