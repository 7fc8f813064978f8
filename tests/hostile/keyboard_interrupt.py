# KeyboardInterrupt is a BaseException, not an Exception: still just this function's error.
# expect-error: temporal_softmax_loss
# message: temporal_softmax_loss: KeyboardInterrupt
def temporal_softmax_loss(x, y, mask, verbose=False):
    raise KeyboardInterrupt
