# bug: rnn_step_backward was started (the cache is unpacked) but never finished: it still returns the stub's Nones
# expect-missing: rnn_step_backward
# expect-error: rnn_backward
import numpy as np


def rnn_step_backward(dnext_h, cache):
    dx, dprev_h, dWx, dWh, db = None, None, None, None, None
    x, prev_h, Wx, Wh, next_h = cache
    # TODO: compute the gradients
    return dx, dprev_h, dWx, dWh, db
