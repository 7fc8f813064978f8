# importlib.import_module("reference") inside a function: refused at run time.
# expect-error: temporal_affine_backward
# message: temporal_affine_backward: ('reference' is not allowed|uses reference).*--allow-import reference
import importlib


def temporal_affine_backward(dout, cache):
    reference = importlib.import_module("reference")
    x, w, b, out = cache
    return reference.temporal_affine_backward(dout, (x, w, b))
