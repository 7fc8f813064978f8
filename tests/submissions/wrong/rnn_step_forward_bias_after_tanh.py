# bug: rnn_step_forward adds the bias after the tanh: tanh(x Wx + prev_h Wh) + b
# expect-fail: rnn_step_forward rnn_step_backward rnn_forward rnn_backward
# mistake: rnn_bias_after_tanh
# message: rnn_step_forward: the bias is added after the tanh
import numpy as np


def rnn_step_forward(x, prev_h, Wx, Wh, b):
    next_h = np.tanh(x @ Wx + prev_h @ Wh) + b
    cache = (x, prev_h, Wx, Wh, next_h)
    return next_h, cache
