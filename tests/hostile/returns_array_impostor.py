# Not an array at all: an object with __array__, __len__ and __getitem__ that lie.
# expect-fail: word_embedding_backward
# message: word_embedding_backward: dW
import numpy as np


class Impostor:
    shape = (7, 5)
    dtype = np.dtype(float)

    def __array__(self, dtype=None, copy=None):
        return np.full((2, 2), np.nan)

    def __len__(self):
        return 7

    def __getitem__(self, index):
        return 0.0


def word_embedding_backward(dout, cache):
    return Impostor()
