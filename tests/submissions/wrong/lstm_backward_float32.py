# bug: lstm_backward accumulates its gradients in float32 arrays (dtype=np.float32): correct up to float32 rounding, not a real bug
import numpy as np


def lstm_backward(dh, cache):
    N, T, H = dh.shape
    D = cache[0][0].shape[1]
    # float32 to save memory on the big captioning model
    dx = np.zeros((N, T, D), dtype=np.float32)
    dWx = np.zeros((D, 4 * H), dtype=np.float32)
    dWh = np.zeros((H, 4 * H), dtype=np.float32)
    db = np.zeros(4 * H, dtype=np.float32)
    dprev_h = np.zeros((N, H), dtype=np.float32)
    dprev_c = np.zeros((N, H), dtype=np.float32)
    for t in reversed(range(T)):
        dx_t, dprev_h, dprev_c, dWx_t, dWh_t, db_t = lstm_step_backward(
            dh[:, t, :] + dprev_h, dprev_c, cache[t])
        dx[:, t, :] = dx_t
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    dh0 = dprev_h.astype(np.float32)
    return dx, dh0, dWx, dWh, db
