# bug: temporal_affine_backward drops the final transpose and returns dw with shape (M, D) instead of (D, M)
# expect-fail: temporal_affine_backward
# mistake: temporal_affine_dw_transposed
import numpy as np


def temporal_affine_backward(dout, cache):
    x, w, b, out = cache
    N, T, D = x.shape
    M = b.shape[0]

    dx = dout.reshape(N * T, M).dot(w.T).reshape(N, T, D)
    dw = dout.reshape(N * T, M).T.dot(x.reshape(N * T, D))
    db = dout.sum(axis=(0, 1))

    return dx, dw, db
