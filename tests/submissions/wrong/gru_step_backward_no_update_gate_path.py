# bug: gru_step_backward sends only the reset gate's gradient back through Wh: the path from a_z into prev_h is missing
# expect-fail: gru_step_backward gru_backward
# mistake: gru_step_dprev_h_without_da_z_Wh_z_T
# message: gru_step_backward: dprev_h misses the term da_z @ Wh_z.T
import numpy as np


def gru_step_backward(dnext_h, cache):
    x, prev_h, Wx, Wh, r, z, n, rh = cache
    H = prev_h.shape[1]
    dn = dnext_h * (1 - z)
    dz = dnext_h * (prev_h - n)
    dprev_h = dnext_h * z
    dan = dn * (1 - n ** 2)
    drh = dan.dot(Wh[:, 2 * H:].T)
    dr = drh * prev_h
    dprev_h += drh * r
    daz = dz * z * (1 - z)
    dar = dr * r * (1 - r)
    dprev_h += dar.dot(Wh[:, :H].T)
    da = np.hstack((dar, daz, dan))
    dx = da.dot(Wx.T)
    dWx = x.T.dot(da)
    dWh = np.hstack((prev_h.T.dot(dar), prev_h.T.dot(daz), rh.T.dot(dan)))
    db = np.sum(da, axis=0)
    return dx, dprev_h, dWx, dWh, db
