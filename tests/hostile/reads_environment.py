# Right only when it cannot see the grader's environment (the test sets a secret there):
# the worker gets a minimal environment and cannot read the parent's, so it passes.
# env: RNNCHECK_HOSTILE_SECRET=hunter2
import os


def temporal_affine_forward(x, w, b):
    N, T, D = x.shape
    out = x.reshape(N * T, D).dot(w).reshape(N, T, -1) + b
    try:
        with open(f"/proc/{os.getppid()}/environ", "rb") as parent:
            seen = parent.read()
    except OSError:
        seen = b""
    if b"hunter2" in seen or any("hunter2" in value for value in os.environ.values()):
        out = out + 1
    return out, (x, w, b, out)
