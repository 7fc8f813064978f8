# A top-level assignment that hangs, read by a function: the load gives up on it after
# --load-timeout; the function then finds the name undefined.
# expect-error: temporal_affine_forward
# expect-skipped: temporal_affine_backward
# message: temporal_affine_forward: NameError: name 'offset' is not defined
# warning: offset = time.sleep\(1e6\)` did not finish within 3 s
import time

offset = time.sleep(1e6)


def temporal_affine_forward(x, w, b):
    N, T, D = x.shape
    out = x.reshape(N * T, D).dot(w).reshape(N, T, -1) + b + offset
    return out, (x, w, b, out)
