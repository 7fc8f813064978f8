# bug: gru_step_forward squashes the candidate n with the sigmoid instead of tanh
# expect-fail: gru_step_forward gru_step_backward gru_forward gru_backward
# mistake: gru_candidate_sigmoid
import numpy as np


def gru_step_forward(x, prev_h, Wx, Wh, b):
    H = prev_h.shape[1]
    ax = x.dot(Wx) + b
    ah = prev_h.dot(Wh[:, :2 * H])
    r = sigmoid(ax[:, :H] + ah[:, :H])
    z = sigmoid(ax[:, H:2 * H] + ah[:, H:2 * H])
    rh = r * prev_h
    n = sigmoid(ax[:, 2 * H:] + rh.dot(Wh[:, 2 * H:]))
    next_h = (1 - z) * n + z * prev_h
    return next_h, (x, prev_h, Wx, Wh, r, z, n, rh)
