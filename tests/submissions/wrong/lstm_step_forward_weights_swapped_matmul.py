# bug: lstm_step_forward computes x @ Wh + prev_h @ Wx: matmul raises whenever D != H (its message gives only sizes; the hint still asks whether Wx and Wh are swapped)
# expect-error: lstm_step_forward lstm_forward
# expect-skipped: lstm_step_backward lstm_backward
# message: lstm_step_forward: ^a product met sizes D=\d+ and H=\d+: are Wx and Wh swapped .*matmul
import numpy as np


def lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b):
    H = prev_h.shape[1]
    a = x @ Wh + prev_h @ Wx + b
    i, f, o = sigmoid(a[:, :H]), sigmoid(a[:, H:2 * H]), sigmoid(a[:, 2 * H:3 * H])
    g = np.tanh(a[:, 3 * H:])
    next_c = f * prev_c + i * g
    next_h = o * np.tanh(next_c)
    return next_h, next_c, (x, prev_h, prev_c, Wx, Wh, i, f, o, g, np.tanh(next_c))
