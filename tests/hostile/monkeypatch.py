# Patches NumPy, json and builtins from inside a function, then returns a wrong gradient:
# the comparison lives in the parent, so it still fails; the patches are undone after the
# call, so every other function (temporal_softmax_loss uses np.max) still passes.
# expect-fail: temporal_affine_backward
# message: temporal_affine_backward: dx, dw, db are wrong
import builtins
import json

import numpy as np


def temporal_affine_backward(dout, cache):
    x, w, b, out = cache
    grads = np.zeros_like(x), np.zeros_like(w), np.zeros_like(b)
    np.allclose = lambda *args, **kwargs: True
    np.max = lambda *args, **kwargs: 0.0
    np.abs = lambda a, *args, **kwargs: a * 0
    np.isfinite = lambda a, *args, **kwargs: np.ones(np.shape(a), bool)
    np.array = lambda *args, **kwargs: np.zeros(3)
    np.frombuffer = lambda *args, **kwargs: np.zeros(3)
    np.ascontiguousarray = lambda *args, **kwargs: np.zeros(3)
    json.dumps = lambda *args, **kwargs: '{"ok": true, "passed": true}'
    builtins.max = lambda *args, **kwargs: 0
    builtins.len = lambda *args: 0
    builtins.isinstance = lambda *args: False
    return grads
