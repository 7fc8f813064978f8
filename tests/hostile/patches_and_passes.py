# Returns the right values but leaves NumPy patched: np.max, np.exp and np.sum broken for whoever
# comes next. The call passes, so its worker is kept; the patches must be undone before the next
# call, or temporal_softmax_loss (np.max, np.exp, np.sum) and others checked later would fail.
import numpy as np


def word_embedding_forward(x, W):
    out = W[x]
    np.max = lambda *args, **kwargs: 0.0
    np.exp = lambda a, *args, **kwargs: a * 0
    np.sum = lambda *args, **kwargs: 1.0
    return out, (x, W)
