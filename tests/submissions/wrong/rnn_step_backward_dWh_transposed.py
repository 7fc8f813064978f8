# bug: rnn_step_backward computes dWh = dtanh.T @ prev_h, the transpose of prev_h.T @ dtanh (square, so no shape error; written before the substitutions covered it)
# expect-fail: rnn_step_backward rnn_backward
# mistake: rnn_step_dWh_transposed
# message: rnn_step_backward: dWh comes out transposed
import numpy as np


def rnn_step_backward(dnext_h, cache):
    x, prev_h, Wx, Wh, next_h = cache
    dtanh = dnext_h * (1 - next_h ** 2)
    dx = dtanh.dot(Wx.T)
    dprev_h = dtanh.dot(Wh.T)
    dWx = x.T.dot(dtanh)
    dWh = dtanh.T.dot(prev_h)
    db = np.sum(dtanh, axis=0)
    return dx, dprev_h, dWx, dWh, db
