"""Word embedding as an autograd graph.

N batch, T time, V vocabulary, D embedding size.
"""
from ._vjp import layer


def word_embedding(x, W):
    """out[n, t] = W[x[n, t]].

    x int (N, T) with values in [0, V), W (V, D) -> out (N, T, D).
    Only W is differentiable; repeated indices accumulate.
    """
    return W[x]


word_embedding_forward, word_embedding_backward = layer(
    word_embedding, upstream=("dout",), differentiable=("W",))
