# importlib.import_module("rnncheck.reference") inside a function: refused at run time.
# expect-error: temporal_affine_backward
# message: temporal_affine_backward: ('rnncheck' is not allowed|uses rnncheck).*--allow-import rnncheck
import importlib


def temporal_affine_backward(dout, cache):
    reference = importlib.import_module("rnncheck.reference")
    x, w, b, out = cache
    return reference.temporal_affine_backward(dout, (x, w, b))
