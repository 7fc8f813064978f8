# Computes its output in 4 threads, joined before it returns, under a task cap of 16:
# within the cap, so it passes.
# needs: tasks
# args: --tasks 16
import threading

import numpy as np


def temporal_affine_forward(x, w, b):
    N, T, D = x.shape
    out = np.empty((N, T, w.shape[1]))

    def row(n):
        out[n] = x[n].dot(w) + b

    workers = [threading.Thread(target=row, args=(n,)) for n in range(N)][:4]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    for n in range(len(workers), N):
        row(n)
    return out, (x, w, b, out)
