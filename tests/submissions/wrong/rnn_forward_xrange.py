# bug: rnn_forward loops with xrange, which is Python 2 only: NameError on Python 3 (the hint says to use range)
# expect-error: rnn_forward
# expect-skipped: rnn_backward
# message: rnn_forward: ^xrange is Python 2: use range \(raised NameError: name 'xrange' is not defined at line \d+\)
import numpy as np


def rnn_forward(x, h0, Wx, Wh, b):
    N, T, D = x.shape
    h = np.zeros((N, T, h0.shape[1]))
    cache = []
    prev_h = h0
    for t in xrange(T):  # noqa: F821 (Python 2)
        prev_h, step_cache = rnn_step_forward(x[:, t, :], prev_h, Wx, Wh, b)
        h[:, t, :] = prev_h
        cache.append(step_cache)
    return h, cache
