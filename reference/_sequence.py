"""Unrolling a recurrent cell over time, shaped so that autograd traces it cheaply.

The input projection ``x Wx + b`` of every time step is one 2-D product
(``np.dot`` of a 3-D array does not reach BLAS), cut
into steps by one ``split`` (whose VJP is one ``concatenate``), and the
hidden states are joined by one ``concatenate`` (whose VJP is slicing).
Per-step indexing or ``np.stack`` would instead give autograd one sparse
accumulation (``np.add.at``) into a full-sized zero array per step.

N batch, T time, D input, H hidden, G = gates * H.
"""
import autograd.numpy as np


def unroll(cell, x, Wx, b, state, *weights):
    """h[:, t] = first of cell(x[:, t] Wx + b, *state_{t-1}, *weights); state_{-1} = state.

    Inputs:
    - cell: function (x_projection (N, G), *state, *weights) -> new state,
      a tuple whose first entry is the hidden state (N, H)
    - x: (N, T, D); Wx: (D, G); b: (G,)
    - state: the initial state tuple, e.g. (h0,) or (h0, c0)

    Returns h, shape (N, T, H).
    """
    N, T, D = x.shape
    time_major = np.reshape(np.swapaxes(x, 0, 1), (T * N, D))  # rows of step t are one contiguous block
    projections = np.reshape(np.dot(time_major, Wx) + b, (T, N, -1))  # one 2-D product (BLAS)
    hs = []
    for projection in np.split(projections, T, axis=0):
        state = cell(np.reshape(projection, projection.shape[1:]), *state, *weights)
        hs.append(np.reshape(state[0], (1,) + state[0].shape))
    return np.swapaxes(np.concatenate(hs, axis=0), 0, 1)
