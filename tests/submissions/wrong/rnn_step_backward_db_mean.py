# bug: rnn_step_backward averages db over the minibatch (np.mean) instead of summing it, so db is N times too small
# expect-fail: rnn_step_backward rnn_backward
# mistake: rnn_step_db_mean
import numpy as np


def rnn_step_backward(dnext_h, cache):
    x, prev_h, Wx, Wh, next_h = cache
    dtanh = dnext_h * (1 - next_h ** 2)
    dx = dtanh.dot(Wx.T)
    dprev_h = dtanh.dot(Wh.T)
    dWx = x.T.dot(dtanh)
    dWh = prev_h.T.dot(dtanh)
    db = np.mean(dtanh, axis=0)
    return dx, dprev_h, dWx, dWh, db
