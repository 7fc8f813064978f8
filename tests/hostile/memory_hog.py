# Touches memory 64 MiB at a time (128 pieces would be 8 GiB), then in ever smaller pieces
# until not a byte is left under the default 2 GiB cap, keeping it all in a global, then
# asks for 8 MiB more: reported as out of memory.  The full worker is retired, so the
# functions checked after it still pass.
# expect-error: temporal_affine_forward
# expect-skipped: temporal_affine_backward
# message: temporal_affine_forward: out of memory
# args: --timeout 30
import numpy as np

kept = []


def temporal_affine_forward(x, w, b):
    size = 1 << 26
    while size >= 64:
        try:
            while True:
                kept.append(np.ones(size // 8))
        except MemoryError:
            size //= 8
    return np.ones(1 << 20), None
