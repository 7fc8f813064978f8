# bug: rnn_forward starts the hidden state at zeros and never uses h0
# expect-fail: rnn_forward rnn_backward
# mistake: rnn_forward_h0_ignored
# message: rnn_forward: h0 is ignored
import numpy as np


def rnn_forward(x, h0, Wx, Wh, b):
    N, T, D = x.shape
    H = h0.shape[1]
    h = np.zeros((N, T, H))
    cache = []
    prev_h = np.zeros((N, H))
    for t in range(T):
        prev_h, step_cache = rnn_step_forward(x[:, t, :], prev_h, Wx, Wh, b)
        h[:, t, :] = prev_h
        cache.append(step_cache)
    return h, cache
