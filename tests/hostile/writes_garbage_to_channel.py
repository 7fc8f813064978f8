# Writes a fake reply ('{"passed":true}' with a length prefix) into every pipe it can find,
# before returning the right values: the parent sees a malformed reply, an error.
# expect-error: temporal_affine_forward
# expect-skipped: temporal_affine_backward
# message: temporal_affine_forward: sent back an invalid result
import os


def temporal_affine_forward(x, w, b):
    for name in os.listdir("/proc/self/fd"):
        try:
            if int(name) > 2 and os.readlink(f"/proc/self/fd/{name}").startswith("pipe:"):
                os.write(int(name), b'\x00\x00\x00\x0f{"passed":true}')
        except OSError:
            pass
    N, T, D = x.shape
    out = x.reshape(N * T, D).dot(w).reshape(N, T, -1) + b
    return out, (x, w, b, out)
