# bug: rnn_backward returns dWh and dWx in swapped order (dx, dh0, dWh, dWx, db), so both weight gradients have the wrong shape when D != H
# expect-fail: rnn_backward
# message: rnn_backward: ^dWx has the shape of Wh \((\d+), \1\), not of Wx \(\d+, \1\): are Wx and Wh swapped\?
import numpy as np


def rnn_backward(dh, cache):
    N, T, H = dh.shape
    D = cache[0][0].shape[1]
    dx = np.zeros((N, T, D))
    dWx = np.zeros((D, H))
    dWh = np.zeros((H, H))
    db = np.zeros(H)
    dprev_h = np.zeros((N, H))
    for t in reversed(range(T)):
        dx_t, dprev_h, dWx_t, dWh_t, db_t = rnn_step_backward(dh[:, t, :] + dprev_h, cache[t])
        dx[:, t, :] = dx_t
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    dh0 = dprev_h
    return dx, dh0, dWh, dWx, db
