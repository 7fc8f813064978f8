# bug: rnn_backward carries the gradient back through at most 5 time steps (a truncated-BPTT shortcut), exact whenever T <= 5
# expect-fail: rnn_backward
import numpy as np

TRUNCATE = 5


def rnn_backward(dh, cache):
    N, T, H = dh.shape
    D = cache[0][0].shape[1]
    dx = np.zeros((N, T, D))
    dWx = np.zeros((D, H))
    dWh = np.zeros((H, H))
    db = np.zeros(H)
    dh0 = np.zeros((N, H))
    for start in range(T):  # each upstream gradient walks back TRUNCATE steps at most
        dprev_h = dh[:, start, :]
        for t in range(start, max(start - TRUNCATE, -1), -1):
            dx_t, dprev_h, dWx_t, dWh_t, db_t = rnn_step_backward(dprev_h, cache[t])
            dx[:, t, :] += dx_t
            dWx += dWx_t
            dWh += dWh_t
            db += db_t
        if start < TRUNCATE:
            dh0 += dprev_h
    return dx, dh0, dWx, dWh, db
