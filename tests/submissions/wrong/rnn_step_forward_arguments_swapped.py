# bug: rnn_step_forward takes (x, Wx, prev_h, Wh, b): the parameters the assignment names, in another order, so every call mixes them up
# expect-error: rnn_step_forward rnn_forward
# expect-skipped: rnn_step_backward rnn_backward
# message: rnn_step_forward: puts other values in Wx, prev_h$
import numpy as np


def rnn_step_forward(x, Wx, prev_h, Wh, b):
    next_h = np.tanh(x.dot(Wx) + prev_h.dot(Wh) + b)
    return next_h, (x, prev_h, Wx, Wh, next_h)
