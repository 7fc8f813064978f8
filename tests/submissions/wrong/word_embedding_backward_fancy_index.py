# bug: word_embedding_backward uses dW[x] += dout, which is buffered fancy indexing: a word that appears several times gets only one of its gradients
# expect-fail: word_embedding_backward
# mistake: word_embedding_fancy_index_add
import numpy as np


def word_embedding_backward(dout, cache):
    x, W = cache
    dW = np.zeros_like(W)
    dW[x] += dout
    return dW
