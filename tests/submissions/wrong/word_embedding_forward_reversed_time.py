# bug: word_embedding_forward reads the words of each sequence back to front; the backward (np.add.at on the cached x) is right
# expect-fail: word_embedding_forward
# mistake: word_embedding_forward_reversed_time
# message: word_embedding_forward: reverse time order
import numpy as np


def word_embedding_forward(x, W):
    N, T = x.shape
    out = np.zeros((N, T, W.shape[1]))
    for t in range(T):
        out[:, t, :] = W[x[:, T - 1 - t]]
    return out, (x, W)
