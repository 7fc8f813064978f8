"""Vanilla tanh RNN as autograd graphs.

N batch, T time, D input, H hidden.
"""
import autograd.numpy as np

from ._sequence import projection_blocks, unroll
from ._vjp import layer


def rnn_cell(x_projection, prev_h, Wh):
    """next_h = tanh(x_projection + prev_h Wh), where x_projection = x Wx + b (N, H)."""
    return (np.tanh(x_projection + prev_h @ Wh),)


def rnn_step(x, prev_h, Wx, Wh, b):
    """next_h = tanh(x Wx + prev_h Wh + b).

    x (N, D), prev_h (N, H), Wx (D, H), Wh (H, H), b (H,) -> next_h (N, H).
    """
    return rnn_cell(*projection_blocks(x, Wx, b, ()), prev_h, Wh)[0]


def rnn(x, h0, Wx, Wh, b):
    """The RNN over a sequence: x (N, T, D), h0 (N, H) -> h (N, T, H)."""
    return unroll(rnn_cell, x, Wx, b, (h0,), (Wh,))


rnn_step_forward, rnn_step_backward = layer(rnn_step, upstream=("dnext_h",))
rnn_forward, rnn_backward = layer(rnn, upstream=("dh",))
