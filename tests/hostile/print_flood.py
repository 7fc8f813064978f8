# Prints 50 MB to stdout and stderr on every call, and is otherwise correct: it passes,
# the capture keeps the first 64 KiB and counts the rest, the parent's memory stays small.
# parent-peak-mb: 300
# printed-at-least: 50000000
import sys


def temporal_affine_forward(x, w, b):
    line = "spam " * 200_000 + "\n"  # 1 MB
    for _ in range(25):
        sys.stdout.write(line)
        sys.stderr.write(line)
    N, T, D = x.shape
    out = x.reshape(N * T, D).dot(w).reshape(N, T, -1) + b
    return out, (x, w, b, out)
