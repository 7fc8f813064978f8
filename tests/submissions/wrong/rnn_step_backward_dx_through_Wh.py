# bug: rnn_step_backward takes dx through Wh instead of Wx (dprev_h is right), so dx has prev_h's shape; rnn_backward cannot store it where D != H
# expect-fail: rnn_step_backward
# expect-error: rnn_backward
# mistake: rnn_step_dx_Wh_for_Wx
# message: rnn_step_backward: ^this matches a known mistake: dx computed with Wh where Wx belongs
import numpy as np


def rnn_step_backward(dnext_h, cache):
    x, prev_h, Wx, Wh, next_h = cache
    dtanh = dnext_h * (1 - next_h ** 2)
    dx = dtanh.dot(Wh.T)
    dprev_h = dtanh.dot(Wh.T)
    dWx = x.T.dot(dtanh)
    dWh = prev_h.T.dot(dtanh)
    db = np.sum(dtanh, axis=0)
    return dx, dprev_h, dWx, dWh, db
