# Starts a non-daemon thread that never ends, and is otherwise correct: it passes, and
# rnncheck still finishes (workers end with os._exit and are killed as a process group).
import threading
import time


def temporal_affine_forward(x, w, b):
    threading.Thread(target=time.sleep, args=(1e6,)).start()
    N, T, D = x.shape
    out = x.reshape(N * T, D).dot(w).reshape(N, T, -1) + b
    return out, (x, w, b, out)
