"""Word embedding: forward and backward, pure NumPy.

Shapes: N batch, T time, V vocabulary, D embedding size.
"""
from collections import namedtuple

import numpy as np

WordEmbeddingCache = namedtuple("WordEmbeddingCache", "x V")


def word_embedding_forward(x, W):
    """
    Forward pass of a word embedding: each word index picks a row of W.

        out[n, t] = W[x[n, t]]

    Inputs:
    - x: integer word indices, shape (N, T), values in [0, V)
    - W: word vectors, shape (V, D)

    Returns a tuple of:
    - out: the word vectors of all inputs, shape (N, T, D)
    - cache: WordEmbeddingCache for word_embedding_backward
    """
    return W[x], WordEmbeddingCache(x, W.shape[0])


def word_embedding_backward(dout, cache):
    """
    Backward pass of a word embedding.

    Derivation: out[n, t] = W[x[n, t]] copies a row, so row v of W receives
    dout[n, t] from every (n, t) with x[n, t] = v:
        dW[v] = sum over {(n, t) : x[n, t] = v} of dout[n, t]
    A word that occurs several times accumulates several gradients
    (np.add.at; plain indexed assignment would keep only one of them), and a
    word that never occurs gets zero. The indices x are not differentiable.

    Inputs:
    - dout: upstream gradients, shape (N, T, D)
    - cache: WordEmbeddingCache from word_embedding_forward

    Returns:
    - dW: gradient of the word vectors, shape (V, D)
    """
    x, V = cache
    # reverse of: out = W[x]
    dW = np.zeros((V, dout.shape[-1]), dtype=dout.dtype)
    np.add.at(dW, x, dout)
    return dW
