"""deeplearning.ai's "Building your Recurrent Neural Network - Step by Step" (Sequence Models, week 1) as autograd graphs.

The notebook's layout: examples are columns.  n_x input, n_a hidden, n_y
output, m batch, T_x time (the last axis): xt (n_x, m), a_prev (n_a, m),
x (n_x, m, T_x), a (n_a, m, T_x).  ``parameters`` is a dictionary.  The
backward of each forward is autograd's VJP of these graphs (the course
declaration, ``rnncheck/courses/dlai.py``, says which outputs get upstream
gradients: the hidden states only; ``yt_pred`` is not back-propagated).

``softmax`` is ``rnn_utils.softmax`` of every edition: the shift is the
global max of the whole array, the sum is over axis 0 (the n_y axis).
"""
import autograd.numpy as np

from .activations import sigmoid


def softmax(z):
    """rnn_utils.softmax: exp(z - max(z)) / its sum over axis 0 (max over the whole array)."""
    e = np.exp(z - np.max(z))
    return e / np.sum(e, axis=0)


def rnn_cell(xt, a_prev, parameters):
    """a_next = tanh(Wax xt + Waa a_prev + ba);  yt_pred = softmax(Wya a_next + by)."""
    p = parameters
    a_next = np.tanh(p["Wax"] @ xt + p["Waa"] @ a_prev + p["ba"])
    return a_next, softmax(p["Wya"] @ a_next + p["by"])


def rnn(x, a0, parameters):
    """rnn_cell over the last axis of x (n_x, m, T_x) from a0 (n_a, m): a (n_a, m, T_x), y_pred (n_y, m, T_x)."""
    a_next, a, y = a0, [], []
    for xt in _steps(x):
        a_next, yt = rnn_cell(xt, a_next, parameters)
        a.append(a_next)
        y.append(yt)
    return _stacked(a), _stacked(y)


def lstm_cell(xt, a_prev, c_prev, parameters):
    """One LSTM step on concat = [a_prev; xt] (a_prev on top), gates f, i (update), c~, o.

        ft = sigmoid(Wf concat + bf);  it = sigmoid(Wi concat + bi)
        cct = tanh(Wc concat + bc);    c_next = ft * c_prev + it * cct
        ot = sigmoid(Wo concat + bo);  a_next = ot * tanh(c_next)
        yt_pred = softmax(Wy a_next + by)
    """
    p = parameters
    concat = np.concatenate([a_prev, xt], axis=0)
    ft = sigmoid(p["Wf"] @ concat + p["bf"])
    it = sigmoid(p["Wi"] @ concat + p["bi"])
    cct = np.tanh(p["Wc"] @ concat + p["bc"])
    c_next = ft * c_prev + it * cct
    ot = sigmoid(p["Wo"] @ concat + p["bo"])
    a_next = ot * np.tanh(c_next)
    return a_next, c_next, softmax(p["Wy"] @ a_next + p["by"])


def lstm(x, a0, parameters):
    """lstm_cell over the last axis of x from a0 and a zero cell state: a, y, c (the notebook's order)."""
    a_next, c_next, a, y, c = a0, np.zeros(np.shape(a0)), [], [], []
    for xt in _steps(x):
        a_next, c_next, yt = lstm_cell(xt, a_next, c_next, parameters)
        a.append(a_next)
        y.append(yt)
        c.append(c_next)
    return _stacked(a), _stacked(y), _stacked(c)


def _steps(x):
    """The time steps x[:, :, t] (n_x, m) of x (n_x, m, T_x): one split, whose VJP is one concatenate."""
    n_x, m, T = np.shape(x)
    return [np.reshape(step, (n_x, m)) for step in np.split(x, T, axis=2)]


def _stacked(steps):
    """(rows, m) arrays of every step joined along a new last (time) axis."""
    return np.concatenate([step[:, :, None] for step in steps], axis=2)
