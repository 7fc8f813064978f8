# bug: rnn_forward slices time steps with np.split(...).squeeze(), which also squeezes away the batch axis when N = 1, so the cached x has shape (D,) and rnn_backward crashes
# expect-error: rnn_backward
# message: rnn_backward: ^a squeeze\(\) removed the batch axis, which has size 1 when N=1.*\(case N=1\)
import numpy as np


def rnn_forward(x, h0, Wx, Wh, b):
    N, T, D = x.shape
    H = h0.shape[1]
    h = np.zeros((N, T, H))
    cache = []
    prev_h = h0
    # one slice per timestep, drop the time axis
    for t, x_t in enumerate(np.split(x, T, axis=1)):
        x_t = x_t.squeeze()
        prev_h, step_cache = rnn_step_forward(x_t, prev_h, Wx, Wh, b)
        h[:, t, :] = prev_h
        cache.append(step_cache)
    return h, cache
