# bug: rnn_step_backward passes dnext_h straight through, forgetting to multiply by the tanh derivative (1 - next_h**2)
# expect-fail: rnn_step_backward rnn_backward
# mistake: rnn_step_no_tanh_derivative
import numpy as np


def rnn_step_backward(dnext_h, cache):
    x, prev_h, Wx, Wh, next_h = cache
    dx = dnext_h.dot(Wx.T)
    dprev_h = dnext_h.dot(Wh.T)
    dWx = x.T.dot(dnext_h)
    dWh = prev_h.T.dot(dnext_h)
    db = np.sum(dnext_h, axis=0)
    return dx, dprev_h, dWx, dWh, db
