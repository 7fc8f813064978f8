# bug: gru_step_backward takes the gradient of r * prev_h through the update gate's block of Wh instead of the candidate's
# expect-fail: gru_step_backward gru_backward
# mistake: gru_step_dreset_h_Wh_z_for_Wh_n
import numpy as np


def gru_step_backward(dnext_h, cache):
    x, prev_h, Wx, Wh, r, z, n, rh = cache
    H = prev_h.shape[1]
    dn = dnext_h * (1 - z)
    dz = dnext_h * (prev_h - n)
    dprev_h = dnext_h * z
    dan = dn * (1 - n ** 2)
    drh = dan.dot(Wh[:, H:2 * H].T)
    dr = drh * prev_h
    dprev_h += drh * r
    daz = dz * z * (1 - z)
    dar = dr * r * (1 - r)
    da_rz = np.hstack((dar, daz))
    da = np.hstack((da_rz, dan))
    dprev_h += da_rz.dot(Wh[:, :2 * H].T)
    dx = da.dot(Wx.T)
    dWx = x.T.dot(da)
    dWh = np.hstack((prev_h.T.dot(da_rz), rh.T.dot(dan)))
    db = np.sum(da, axis=0)
    return dx, dprev_h, dWx, dWh, db
