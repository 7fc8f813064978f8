# bug: rnn_step_forward multiplies x by Wh and prev_h by Wx: a ValueError whenever D != H (the hint asks whether Wx and Wh are swapped), wrong values when D == H
# mistake: rnn_forward_weights_swapped
# expect-error: rnn_step_forward rnn_forward
# expect-skipped: rnn_step_backward rnn_backward
# message: rnn_step_forward: a product met sizes D=\d+ and H=\d+: are Wx and Wh swapped
# message: rnn_forward: a product met sizes D=\d+ and H=\d+: are Wx and Wh swapped .* in rnn_step_forward\)
import numpy as np


def rnn_step_forward(x, prev_h, Wx, Wh, b):
    next_h = np.tanh(x.dot(Wh) + prev_h.dot(Wx) + b)
    return next_h, (x, prev_h, Wx, Wh, next_h)
