# Sends SIGKILL to rnncheck (its parent) from inside a layer function.  The confinement
# refuses the signal: rnncheck lives on and gives every function its verdict.
# needs: signals
# expect-error: temporal_affine_forward
# expect-skipped: temporal_affine_backward
# message: temporal_affine_forward: blocked by the sandbox: sending SIGKILL to process \d+, outside the sandbox
import os
import signal


def temporal_affine_forward(x, w, b):
    os.kill(os.getppid(), signal.SIGKILL)
    N, T, D = x.shape
    out = x.reshape(N * T, D).dot(w).reshape(N, T, -1) + b
    return out, (x, w, b, out)
