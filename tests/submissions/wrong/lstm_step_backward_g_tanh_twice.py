# bug: lstm_step_backward takes the derivative of the candidate at tanh(g), 1 - tanh(g)**2, but g is already tanh(a_g)
# expect-fail: lstm_step_backward lstm_backward
# mistake: lstm_step_da_g_g_at_np_tanh_g
import numpy as np


def lstm_step_backward(dnext_h, dnext_c, cache):
    x, prev_h, prev_c, Wx, Wh, i, f, o, g, tanh_c = cache
    do = dnext_h * tanh_c
    dc = dnext_c + dnext_h * o * (1 - tanh_c ** 2)
    di, df, dg, dprev_c = dc * g, dc * prev_c, dc * i, dc * f
    dai = di * i * (1 - i)
    daf = df * f * (1 - f)
    dao = do * o * (1 - o)
    dag = dg * (1 - np.tanh(g) ** 2)
    da = np.concatenate([dai, daf, dao, dag], axis=1)
    return da @ Wx.T, da @ Wh.T, dprev_c, x.T @ da, prev_h.T @ da, da.sum(axis=0)
