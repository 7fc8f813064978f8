# bug: lstm_step_forward squashes the candidate g with the sigmoid like the three gates, instead of tanh
# expect-fail: lstm_step_forward lstm_step_backward lstm_forward lstm_backward
# mistake: lstm_g_sigmoid
# message: lstm_step_forward: the candidate g is a sigmoid
import numpy as np


def lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b):
    H = prev_h.shape[1]
    a = sigmoid(x.dot(Wx) + prev_h.dot(Wh) + b)
    i, f, o, g = a[:, :H], a[:, H:2 * H], a[:, 2 * H:3 * H], a[:, 3 * H:]
    next_c = f * prev_c + i * g
    tanh_c = np.tanh(next_c)
    next_h = o * tanh_c
    return next_h, next_c, (x, prev_h, prev_c, Wx, Wh, i, f, o, g, tanh_c)
