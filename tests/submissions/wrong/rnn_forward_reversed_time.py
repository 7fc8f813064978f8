# bug: rnn_forward walks time from T - 1 down to 0 (h[:, t] computed from h[:, t + 1]); rnn_backward, unchanged, then goes wrong too
# expect-fail: rnn_forward rnn_backward
# mistake: rnn_forward_reversed_time
# named-in: rnn_forward
# message: rnn_forward: walks time backwards
import numpy as np


def rnn_forward(x, h0, Wx, Wh, b):
    N, T, D = x.shape
    H = h0.shape[1]
    h = np.zeros((N, T, H))
    cache = [None] * T
    prev_h = h0
    for t in reversed(range(T)):
        prev_h, cache[t] = rnn_step_forward(x[:, t, :], prev_h, Wx, Wh, b)
        h[:, t, :] = prev_h
    return h, cache
