# A 160 MB result, over the 64 MiB the parent accepts: refused before it is read.
# expect-error: word_embedding_backward
# message: word_embedding_backward: larger than 64 MiB
# parent-peak-mb: 300
import numpy as np


def word_embedding_backward(dout, cache):
    return np.ones((20_000_000,))
