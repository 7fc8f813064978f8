# bug: rnn_step_backward computes dWh from x instead of prev_h (a copy of the dWx line)
# expect-fail: rnn_step_backward
# expect-error: rnn_backward
# mistake: rnn_step_dWh_x_for_prev_h
import numpy as np


def rnn_step_backward(dnext_h, cache):
    x, prev_h, Wx, Wh, next_h = cache
    dtanh = dnext_h * (1 - next_h ** 2)
    dx = dtanh.dot(Wx.T)
    dprev_h = dtanh.dot(Wh.T)
    dWx = x.T.dot(dtanh)
    dWh = x.T.dot(dtanh)
    db = np.sum(dtanh, axis=0)
    return dx, dprev_h, dWx, dWh, db
