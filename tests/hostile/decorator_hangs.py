# A decorator that never returns runs when the definition does: a load-time timeout.
# expect-timeout: temporal_affine_forward
# expect-skipped: temporal_affine_backward
# message: temporal_affine_forward: definition .* did not finish within 3 s
import time


def slow(function):
    time.sleep(1e6)
    return function


@slow
def temporal_affine_forward(x, w, b):
    N, T, D = x.shape
    out = x.reshape(N * T, D).dot(w).reshape(N, T, -1) + b
    return out, (x, w, b, out)
