# Starts 64 threads under a task cap of 16 (never an unbounded bomb: the test must be
# safe on a shared machine).  The 16th task cannot start: the function is an error that
# says so, and every other function is still checked.
# needs: tasks
# args: --tasks 16
# expect-error: temporal_affine_forward
# expect-skipped: temporal_affine_backward
# message: temporal_affine_forward: task cap
import threading

release = threading.Event()


def temporal_affine_forward(x, w, b):
    for _ in range(64):
        threading.Thread(target=release.wait, daemon=True).start()
    N, T, D = x.shape
    out = x.reshape(N * T, D).dot(w).reshape(N, T, -1) + b
    return out, (x, w, b, out)
