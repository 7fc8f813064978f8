# Finds the worker's pipes in /proc/self/fd and closes them: an error, never a pass.
# expect-error: temporal_affine_forward
# expect-skipped: temporal_affine_backward
# message: temporal_affine_forward: broke the worker's channel to rnncheck
import os


def temporal_affine_forward(x, w, b):
    for name in os.listdir("/proc/self/fd"):
        try:
            pipe = int(name) > 2 and os.readlink(f"/proc/self/fd/{name}").startswith("pipe:")
        except OSError:
            pipe = False
        if pipe:
            os.close(int(name))
    N, T, D = x.shape
    out = x.reshape(N * T, D).dot(w).reshape(N, T, -1) + b
    return out, (x, w, b, out)
