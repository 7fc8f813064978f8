# Does the work, then returns None.
# expect-fail: temporal_affine_backward
# message: temporal_affine_backward: returned a NoneType, expected a tuple of 3
def temporal_affine_backward(dout, cache):
    x, w, b, out = cache
    dx = dout.dot(w.T)
    return None
