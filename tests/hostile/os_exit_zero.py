# os._exit(0) inside a backward: the worker is gone with status 0, which is never a pass.
# expect-error: temporal_affine_backward
# message: temporal_affine_backward: exit status 0
import os


def temporal_affine_backward(dout, cache):
    os._exit(0)
