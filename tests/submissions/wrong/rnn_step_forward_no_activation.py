# bug: rnn_step_forward forgets the nonlinearity: next_h = x Wx + prev_h Wh + b
# expect-fail: rnn_step_forward rnn_step_backward rnn_forward rnn_backward
# mistake: rnn_no_activation
import numpy as np


def rnn_step_forward(x, prev_h, Wx, Wh, b):
    next_h = np.dot(x, Wx) + np.dot(prev_h, Wh) + b
    cache = (x, prev_h, Wx, Wh, next_h)
    return next_h, cache
