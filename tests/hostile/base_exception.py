# A BaseException subclass of the submission's own making, and GeneratorExit.
# expect-error: temporal_affine_backward
# message: temporal_affine_backward: raised Escape: not an Exception
class Escape(BaseException):
    pass


def temporal_affine_backward(dout, cache):
    try:
        raise GeneratorExit
    finally:
        raise Escape("not an Exception")
