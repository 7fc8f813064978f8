# bug: rnn_step_forward uses a ReLU, np.maximum(0, a), where the vanilla RNN has tanh
# expect-fail: rnn_step_forward rnn_step_backward rnn_forward rnn_backward
# mistake: rnn_relu_activation
# message: rnn_forward: ^this matches a known mistake: the activation is ReLU instead of tanh
import numpy as np


def rnn_step_forward(x, prev_h, Wx, Wh, b):
    a = x.dot(Wx) + prev_h.dot(Wh) + b
    next_h = np.maximum(0, a)
    cache = (x, prev_h, Wx, Wh, next_h)
    return next_h, cache
