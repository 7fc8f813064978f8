# bug: rnn_step_backward computes dWh from next_h instead of prev_h (the hidden state that was actually multiplied by Wh)
# expect-fail: rnn_step_backward rnn_backward
# mistake: rnn_step_dWh_from_next_h
import numpy as np


def rnn_step_backward(dnext_h, cache):
    x, prev_h, Wx, Wh, next_h = cache
    dtanh = dnext_h * (1 - next_h ** 2)
    dx = dtanh.dot(Wx.T)
    dprev_h = dtanh.dot(Wh.T)
    dWx = x.T.dot(dtanh)
    dWh = next_h.T.dot(dtanh)
    db = np.sum(dtanh, axis=0)
    return dx, dprev_h, dWx, dWh, db
