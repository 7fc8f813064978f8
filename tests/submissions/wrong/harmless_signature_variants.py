# bug: none: renamed parameters, extra parameters with defaults, *args and **kwargs all take the assignment's call, so every function passes
import numpy as np


def rnn_step_forward(inputs, h, W_xh, W_hh, bias, activation=np.tanh, **options):
    next_h = activation(inputs.dot(W_xh) + h.dot(W_hh) + bias)
    return next_h, (inputs, h, W_xh, W_hh, next_h)


def rnn_step_backward(*args):
    dnext_h, cache = args
    x, prev_h, Wx, Wh, next_h = cache
    dtanh = dnext_h * (1 - next_h ** 2)
    return dtanh.dot(Wx.T), dtanh.dot(Wh.T), x.T.dot(dtanh), prev_h.T.dot(dtanh), dtanh.sum(axis=0)


def temporal_affine_forward(x, w, b, *, scale=1.0):
    N, T, D = x.shape
    out = scale * x.reshape(N * T, D).dot(w).reshape(N, T, -1) + b
    return out, (x, w, b, out)
