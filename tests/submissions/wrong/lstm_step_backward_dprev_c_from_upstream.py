# bug: lstm_step_backward takes dprev_c = dnext_c * f from the upstream dnext_c alone, without the path through next_h (written before the substitutions covered it); over a sequence this is the same as resetting the cell gradient
# expect-fail: lstm_step_backward lstm_backward
# mistake: lstm_step_dprev_c_dnext_c_for_dc
# mistake: lstm_backward_cell_gradient_reset
# message: lstm_step_backward: dprev_c computed with dnext_c where dc belongs
import numpy as np


def lstm_step_backward(dnext_h, dnext_c, cache):
    x, prev_h, prev_c, Wx, Wh, i, f, o, g, tanh_c = cache
    do = dnext_h * tanh_c
    dc = dnext_c + dnext_h * o * (1 - tanh_c ** 2)
    df = dc * prev_c
    di = dc * g
    dg = dc * i
    dprev_c = dnext_c * f
    da = np.hstack((di * i * (1 - i), df * f * (1 - f), do * o * (1 - o), dg * (1 - g ** 2)))
    return da.dot(Wx.T), da.dot(Wh.T), dprev_c, x.T.dot(da), prev_h.T.dot(da), np.sum(da, axis=0)
