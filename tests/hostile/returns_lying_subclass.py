# Zeros in an ndarray subclass whose operators and conversions claim equality with anything.
# Only the raw numbers travel to the parent, which compares them itself.
# expect-fail: temporal_affine_backward
# message: temporal_affine_backward: dx, dw, db are wrong
import numpy as np


class Agreeable(np.ndarray):
    def __eq__(self, other):
        return True

    __ne__ = __lt__ = __gt__ = lambda self, other: False

    def __sub__(self, other):
        return np.zeros(np.shape(self))

    __rsub__ = __sub__

    def __abs__(self):
        return np.zeros(np.shape(self))

    def __array__(self, dtype=None, copy=None):
        return np.zeros(self.shape)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return np.zeros(np.shape(inputs[0]))

    def __float__(self):
        return 0.0


def temporal_affine_backward(dout, cache):
    x, w, b, out = cache
    return tuple(np.zeros(a.shape).view(Agreeable) for a in (x, w, b))
