# Ragged nested lists.
# expect-fail: temporal_affine_backward
# message: temporal_affine_backward: dx is a list, not an array
def temporal_affine_backward(dout, cache):
    x, w, b, out = cache
    return [[1.0, 2.0], [3.0]], [[1.0], []], [b.tolist(), [0.0]]
