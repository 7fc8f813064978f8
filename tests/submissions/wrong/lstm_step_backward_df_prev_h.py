# bug: lstm_step_backward takes df = dc * prev_h, the hidden state, where next_c = f * prev_c needs prev_c (written before the substitutions covered it)
# expect-fail: lstm_step_backward lstm_backward
# mistake: lstm_step_df_prev_h_for_prev_c
# message: lstm_step_backward: df computed with prev_h where prev_c belongs
import numpy as np


def lstm_step_backward(dnext_h, dnext_c, cache):
    x, prev_h, prev_c, Wx, Wh, i, f, o, g, tanh_c = cache
    do = dnext_h * tanh_c
    dc = dnext_c + dnext_h * o * (1 - tanh_c ** 2)
    df = dc * prev_h
    di = dc * g
    dg = dc * i
    dprev_c = dc * f
    da = np.hstack((di * i * (1 - i), df * f * (1 - f), do * o * (1 - o), dg * (1 - g ** 2)))
    return da.dot(Wx.T), da.dot(Wh.T), dprev_c, x.T.dot(da), prev_h.T.dot(da), np.sum(da, axis=0)
