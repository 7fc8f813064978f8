"""Vanilla tanh RNN as autograd graphs.

N batch, T time, D input, H hidden.
"""
import autograd.numpy as np

from ._vjp import layer


def rnn_step(x, prev_h, Wx, Wh, b):
    """next_h = tanh(x Wx + prev_h Wh + b).

    x (N, D), prev_h (N, H), Wx (D, H), Wh (H, H), b (H,) -> next_h (N, H).
    """
    return np.tanh(np.dot(x, Wx) + np.dot(prev_h, Wh) + b)


def unroll(step, x, h0, Wx, Wh, b):
    """h[:, t] = step(x[:, t], h[:, t-1], Wx, Wh, b) with h[:, -1] = h0.

    x (N, T, D), h0 (N, H) -> h (N, T, H).
    """
    h, hs = h0, []
    for t in range(x.shape[1]):
        h = step(x[:, t, :], h, Wx, Wh, b)
        hs.append(h)
    return np.stack(hs, axis=1)


def rnn(x, h0, Wx, Wh, b):
    """The RNN over a sequence: x (N, T, D), h0 (N, H) -> h (N, T, H)."""
    return unroll(rnn_step, x, h0, Wx, Wh, b)


rnn_step_forward, rnn_step_backward = layer(rnn_step, upstream=("dnext_h",))
rnn_forward, rnn_backward = layer(rnn, upstream=("dh",))
