# bug: lstm_forward computes H = b.shape[0] / 4, a float on Python 3, so np.zeros((N, T, H)) raises TypeError (use // 4)
# expect-error: lstm_forward
# message: lstm_forward: ^a size or an index is a float: / always gives a float in Python 3; use //
# expect-skipped: lstm_backward
import numpy as np


def lstm_forward(x, h0, Wx, Wh, b):
    N, T, D = x.shape
    H = b.shape[0] / 4
    h = np.zeros((N, T, H))
    cache = []
    prev_h = h0
    prev_c = np.zeros((N, H))
    for t in range(T):
        prev_h, prev_c, step_cache = lstm_step_forward(x[:, t, :], prev_h, prev_c, Wx, Wh, b)
        h[:, t, :] = prev_h
        cache.append(step_cache)
    return h, cache
