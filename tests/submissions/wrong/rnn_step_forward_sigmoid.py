# bug: rnn_step_forward squashes with the logistic sigmoid instead of tanh; the backward, unchanged, takes 1 - next_h**2 of what it cached
# expect-fail: rnn_step_forward rnn_step_backward rnn_forward rnn_backward
# mistake: rnn_sigmoid_activation
# message: rnn_step_forward: ^this matches a known mistake: the activation is sigmoid instead of tanh
import numpy as np


def rnn_step_forward(x, prev_h, Wx, Wh, b):
    next_h = 1.0 / (1.0 + np.exp(-(x.dot(Wx) + prev_h.dot(Wh) + b)))
    cache = (x, prev_h, Wx, Wh, next_h)
    return next_h, cache
