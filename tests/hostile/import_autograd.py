# Borrows the oracle's tool: a top-level import of autograd (refused at load) used by a
# function.  Reported as an error naming the module.
# expect-error: temporal_affine_forward
# expect-skipped: temporal_affine_backward
# message: temporal_affine_forward: uses autograd, .*--allow-import autograd
import autograd.numpy as anp


def temporal_affine_forward(x, w, b):
    out = anp.dot(x, w) + b
    return out, (x, w, b, out)
