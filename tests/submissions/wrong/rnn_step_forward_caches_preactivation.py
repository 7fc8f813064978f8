# bug: rnn_step_forward is right but caches the pre-activation a where the backward reads next_h, so the backward takes 1 - a**2
# expect-fail: rnn_step_backward rnn_backward
# mistake: rnn_cache_preactivation
# message: rnn_step_backward: pre-activation
import numpy as np


def rnn_step_forward(x, prev_h, Wx, Wh, b):
    a = x.dot(Wx) + prev_h.dot(Wh) + b
    next_h = np.tanh(a)
    cache = (x, prev_h, Wx, Wh, a)
    return next_h, cache
