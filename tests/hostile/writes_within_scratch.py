# Writes, reads back and removes 4 MiB in its scratch space (its working directory and
# TMPDIR), under a scratch cap of 8 MiB: within the cap, so it passes.
# args: --scratch 8M
import os
import tempfile

import numpy as np


def temporal_affine_forward(x, w, b):
    with tempfile.NamedTemporaryFile() as spill:
        spill.write(b"\1" * (4 << 20))
        spill.flush()
        assert os.path.getsize(spill.name) == 4 << 20
    np.save("x.npy", x)
    x = np.load("x.npy")
    N, T, D = x.shape
    out = x.reshape(N * T, D).dot(w).reshape(N, T, -1) + b
    return out, (x, w, b, out)
