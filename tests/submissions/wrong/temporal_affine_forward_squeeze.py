# bug: temporal_affine_forward squeezes its output, which drops the batch axis when N = 1 and the time axis when T = 1 (the hint names the squeeze)
# expect-fail: temporal_affine_forward
# message: temporal_affine_forward: ^out lost an axis of size 1: a squeeze\(\) without axis=\.\.\. removes .*\(case N=1\)
import numpy as np


def temporal_affine_forward(x, w, b):
    N, T, D = x.shape
    out = (x.reshape(N * T, D).dot(w).reshape(N, T, -1) + b).squeeze()
    return out, (x, w, b, out)
