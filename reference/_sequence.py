"""Unrolling a recurrent cell over time, shaped so that autograd traces it cheaply.

The input projection ``x Wx + b`` of every time step is one 2-D product,
cut into gate blocks and time steps by ``split`` (whose VJP is one ``concatenate``), and the hidden
states are joined by one ``concatenate`` (whose VJP is slicing).  Indexing
``x[:, t]`` or ``np.stack`` would instead give autograd one sparse
accumulation (``np.add.at``) into a full-sized zero array per step.
Products are ``@`` of 2-D arrays: autograd's VJP of ``@`` is two more 2-D
products, while its VJP of ``np.dot`` goes through ``tensordot`` (and
``np.dot`` of a 3-D array does not reach BLAS at all).

N batch, T time, D input, H hidden, G = gates * H.
"""
import autograd.numpy as np


def projection_blocks(x, Wx, b, blocks):
    """x Wx + b for every row of x (..., D), cut at ``blocks`` along the gate axis G."""
    return np.split(x @ Wx + b, list(blocks), axis=-1) if blocks else [x @ Wx + b]


def unroll(cell, x, Wx, b, state, weights=(), blocks=()):
    """Run ``cell`` over the time axis; returns h (N, T, H).

    Inputs:
    - cell: function (*projection_blocks of one step (N, .), *state, *weights)
      -> new state, a tuple whose first entry is the hidden state (N, H)
    - x: (N, T, D); Wx: (D, G); b: (G,)
    - state: the initial state tuple, e.g. (h0,) or (h0, c0)
    - weights: further arguments of every cell call (the recurrent weights)
    - blocks: where to cut the G axis of the projection (e.g. [3 * H]), once
      for all steps rather than at every step
    """
    N, T, D = x.shape
    time_major = np.reshape(np.swapaxes(x, 0, 1), (T * N, D))  # rows t*N .. t*N+N-1 are step t
    per_block = [np.split(p, T, axis=0) for p in projection_blocks(time_major, Wx, b, blocks)]
    hs = []
    for step in zip(*per_block):
        state = cell(*step, *state, *weights)
        hs.append(state[0])
    return np.swapaxes(np.reshape(np.concatenate(hs, axis=0), (T, N, -1)), 0, 1)
