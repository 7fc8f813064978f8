# bug: gru_step_backward takes dr = drh * r, the gate itself, where reset_h = r * prev_h gives dr = drh * prev_h (written before the substitutions covered it)
# expect-fail: gru_step_backward gru_backward
# mistake: gru_step_dr_r_for_prev_h
import numpy as np


def gru_step_backward(dnext_h, cache):
    x, prev_h, Wx, Wh, r, z, n, rh = cache
    H = prev_h.shape[1]
    dn = dnext_h * (1 - z)
    dz = dnext_h * (prev_h - n)
    dprev_h = dnext_h * z
    dan = dn * (1 - n ** 2)
    drh = dan.dot(Wh[:, 2 * H:].T)
    dr = drh * r
    dprev_h += drh * r
    daz = dz * z * (1 - z)
    dar = dr * r * (1 - r)
    da_rz = np.hstack((dar, daz))
    da = np.hstack((da_rz, dan))
    dprev_h += da_rz.dot(Wh[:, :2 * H].T)
    return da.dot(Wx.T), dprev_h, x.T.dot(da), np.hstack((prev_h.T.dot(da_rz), rh.T.dot(dan))), np.sum(da, axis=0)
