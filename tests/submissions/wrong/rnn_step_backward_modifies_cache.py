# bug: none that changes a gradient: rnn_step_backward turns the cached next_h into 1 - next_h**2 in place, so its gradients are right once, and a second backward on the same cache is wrong (a warning, not a failure)
import numpy as np


def rnn_step_backward(dnext_h, cache):
    x, prev_h, Wx, Wh, next_h = cache
    next_h **= 2  # reuse the cached array to save memory
    np.subtract(1, next_h, out=next_h)
    dtanh = dnext_h * next_h
    dx = dtanh.dot(Wx.T)
    dprev_h = dtanh.dot(Wh.T)
    dWx = x.T.dot(dtanh)
    dWh = prev_h.T.dot(dtanh)
    db = np.sum(dtanh, axis=0)
    return dx, dprev_h, dWx, dWh, db
