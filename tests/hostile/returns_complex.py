# The right values as complex numbers.
# expect-fail: temporal_affine_backward
# message: temporal_affine_backward: complex values
def temporal_affine_backward(dout, cache):
    x, w, b, out = cache
    N, T, D = x.shape
    M = b.shape[0]
    dx = dout.reshape(N * T, M).dot(w.T).reshape(N, T, D)
    dw = x.reshape(N * T, D).T.dot(dout.reshape(N * T, M))
    db = dout.sum(axis=(0, 1))
    return dx.astype(complex), dw.astype(complex), db.astype(complex)
