# An object array holding the right numbers as Python floats.
# expect-fail: temporal_affine_forward
# message: temporal_affine_forward: dtype object
import numpy as np


def temporal_affine_forward(x, w, b):
    N, T, D = x.shape
    out = x.reshape(N * T, D).dot(w).reshape(N, T, -1) + b
    return out.astype(object), (x, w, b, out)
