"""Gate blocks: the gates of an LSTM or GRU as a leading axis, pure NumPy.

The assignment lays the G gates of a layer side by side along the last
axis: an LSTM's Wx (D, 4H), Wh (H, 4H), b (4H,) and pre-activations a
(N, 4H) hold the blocks i, f, o, g (G = 4); a GRU's hold r, z, n (G = 3).
An elementwise pass over a column slice such as a[:, H:2 * H] (whose rows
are apart in memory) takes 1.5 to 3 times as long as over a contiguous
block of the same size, so the sequence layers keep their gates
gate-major, (G, N, H): a[k] is one gate's block, a contiguous array, and
``i, f, o, g = a`` unpacks them. The gradients of the pre-activations stay
side by side, da (N, G * H), as the products with the weights want them;
gate_blocks(da, G) names their blocks.
"""
import numpy as np


def gate_blocks(w, G):
    """
    The G gate blocks of w's columns as a leading axis: a view, no copy.

        gate_blocks(w, G)[k] = w[:, k * H:(k + 1) * H]

    Inputs:
    - w: array of shape (M, G * H), for example Wh (H, 4H) or a (N, 4H)
    - G: number of gates

    Returns:
    - view of shape (G, M, H)
    """
    M, GH = w.shape
    return w.reshape(M, G, GH // G).transpose(1, 0, 2)


def gate_projection(x, w, b, G):
    """
    An affine layer whose output is gate-major.

        a[k] = x w_k + b_k,  w_k = w[:, k * H:(k + 1) * H],  b_k = b[k * H:(k + 1) * H]

    One matrix product per gate, with a contiguous copy of w's block (a
    copy of the weights costs far less than strided passes over a).

    Inputs:
    - x: inputs, shape (M, D)
    - w: weights, gate blocks side by side, shape (D, G * H)
    - b: biases, shape (G * H,)
    - G: number of gates

    Returns:
    - a: shape (G, M, H), a fresh array
    """
    a = (x @ np.ascontiguousarray(gate_blocks(w, G))).astype(np.result_type(x, w, b), copy=False)
    a += gate_blocks(b[np.newaxis], G)
    return a
