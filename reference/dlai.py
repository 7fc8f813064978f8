"""deeplearning.ai's "Building your Recurrent Neural Network - Step by Step" as autograd graphs.

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
    """rnn_cell over the last axis of x (n_x, m, T_x) from a0 (n_a, m): a (n_a, m, T_x), y_pred (n_y, m, T_x).

    Wax x<t> + ba of every step is one product (``_projections``), and y_pred of every step one softmax
    over the stacked states (``_outputs``): the same values as step by step, in fewer traced operations.
    """
    p, a_next, a = parameters, a0, []
    for projection in _projections(x, p["Wax"], p["ba"]):
        a_next = np.tanh(projection + p["Waa"] @ a_next)
        a.append(a_next)
    a = _stacked(a)
    return a, _outputs(p["Wya"], p["by"], a)


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
    """lstm_cell over the last axis of x from a0 and a zero cell state: a, y, c (the notebook's order).

    The four gates' matrices are stacked (rows f, i, c~, o) so that a step is one product with a_prev;
    their xt columns and biases are applied to every step at once (``_projections``).
    """
    p, n_a = parameters, np.shape(a0)[0]
    W = np.concatenate([p["Wf"], p["Wi"], p["Wc"], p["Wo"]], axis=0)  # (4 n_a, n_a + n_x) on [a_prev; xt]
    b = np.concatenate([p["bf"], p["bi"], p["bc"], p["bo"]], axis=0)
    Wa, Wx = W[:, :n_a], W[:, n_a:]
    a_next, c_next, a, c = a0, np.zeros(np.shape(a0)), [], []
    for projection in _projections(x, Wx, b):
        ft, it, cct, ot = np.split(projection + Wa @ a_next, 4, axis=0)
        c_next = sigmoid(ft) * c_next + sigmoid(it) * np.tanh(cct)
        a_next = sigmoid(ot) * np.tanh(c_next)
        a.append(a_next)
        c.append(c_next)
    a = _stacked(a)
    return a, _outputs(p["Wy"], p["by"], a), _stacked(c)


def _projections(x, W, b):
    """W x<t> + b (rows, m) of every step of x (n_x, m, T_x): one product, one split (whose VJP is one concatenate)."""
    n_x, m, T = np.shape(x)
    projected = np.reshape(W @ np.reshape(x, (n_x, m * T)), (-1, m, T)) + b[:, :, None]
    return [np.reshape(step, (-1, m)) for step in np.split(projected, T, axis=2)]


def _outputs(W, b, a):
    """softmax(W a<t> + b) of every step of a (n_a, m, T_x), each step shifted by its own max as rnn_utils does."""
    n_a, m, T = np.shape(a)
    z = np.reshape(W @ np.reshape(a, (n_a, m * T)), (-1, m, T)) + b[:, :, None]
    e = np.exp(z - np.max(z, axis=(0, 1), keepdims=True))
    return e / np.sum(e, axis=0)


def _stacked(steps):
    """(rows, m) arrays of every step joined along a new last (time) axis."""
    return np.concatenate([step[:, :, None] for step in steps], axis=2)
