# bug: rnn_step_backward uses Wh where Wx belongs and x where prev_h belongs, so dx comes back with prev_h's shape (the hint asks whether Wx and Wh are swapped); rnn_backward then cannot store it
# expect-fail: rnn_step_backward
# expect-error: rnn_backward
# message: rnn_step_backward: ^dx has the shape of prev_h \(\d+, \d+\), not of x \(\d+, \d+\): are Wx and Wh swapped\?
import numpy as np


def rnn_step_backward(dnext_h, cache):
    x, prev_h, Wx, Wh, next_h = cache
    dtanh = dnext_h * (1 - next_h ** 2)
    dx = dtanh.dot(Wh.T)
    dprev_h = dtanh.dot(Wx.T)
    dWx = prev_h.T.dot(dtanh)
    dWh = x.T.dot(dtanh)
    db = np.sum(dtanh, axis=0)
    return dx, dprev_h, dWx, dWh, db
