# bug: lstm_forward sets prev_c to zeros inside the loop, so the cell state never carries over to the next step
# expect-fail: lstm_forward lstm_backward
# mistake: lstm_forward_cell_reset
# message: lstm_forward: the cell state restarts at zero at every step
import numpy as np


def lstm_forward(x, h0, Wx, Wh, b):
    N, T, D = x.shape
    H = h0.shape[1]
    h = np.zeros((N, T, H))
    cache = []
    prev_h = h0
    for t in range(T):
        prev_c = np.zeros((N, H))
        prev_h, next_c, step_cache = lstm_step_forward(x[:, t, :], prev_h, prev_c, Wx, Wh, b)
        h[:, t, :] = prev_h
        cache.append(step_cache)
    return h, cache
