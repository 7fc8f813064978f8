# bug: temporal_affine_forward calls np.asfarray, removed in NumPy 2.0: AttributeError (the hint names the replacement)
# expect-error: temporal_affine_forward
# expect-skipped: temporal_affine_backward
# message: temporal_affine_forward: ^np.asfarray was removed from NumPy: use np.asarray\(x, dtype=float\)
import numpy as np


def temporal_affine_forward(x, w, b):
    x = np.asfarray(x)
    N, T, D = x.shape
    out = x.reshape(N * T, D).dot(w).reshape(N, T, -1) + b
    return out, (x, w, b, out)
