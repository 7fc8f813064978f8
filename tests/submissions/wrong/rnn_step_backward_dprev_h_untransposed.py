# bug: rnn_step_backward takes dprev_h = dtanh @ Wh without the transpose (Wh is square, so no shape error; written before the substitutions covered it)
# expect-fail: rnn_step_backward rnn_backward
# mistake: rnn_step_dprev_h_Wh_untransposed
# message: rnn_step_backward: dprev_h computed with Wh where Wh.T belongs
import numpy as np


def rnn_step_backward(dnext_h, cache):
    x, prev_h, Wx, Wh, next_h = cache
    dtanh = dnext_h * (1 - next_h ** 2)
    dx = dtanh.dot(Wx.T)
    dprev_h = dtanh.dot(Wh)
    dWx = x.T.dot(dtanh)
    dWh = prev_h.T.dot(dtanh)
    db = np.sum(dtanh, axis=0)
    return dx, dprev_h, dWx, dWh, db
