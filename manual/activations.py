"""Elementwise activations, pure NumPy."""
import numpy as np


def sigmoid(x):
    """
    Numerically stable logistic function, elementwise.

        sigmoid(x) = 1 / (1 + exp(-x))      for x >= 0
                   = exp(x) / (1 + exp(x))  for x < 0

    Both branches take exp of -|x| <= 0, which never overflows; far from zero
    it underflows to exactly 0, giving the exact limits sigmoid(-inf) = 0 and
    sigmoid(+inf) = 1 (that underflow is the right answer, so it is not
    reported). The local derivative is sigmoid(x) * (1 - sigmoid(x)).

    Inputs:
    - x: array of any shape

    Returns:
    - out: array of the same shape and dtype as x, values in [0, 1]
    """
    with np.errstate(under="ignore"):
        z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + z), z / (1 + z))


def sigmoid_in_place(a):
    """
    The same function as sigmoid, computed in place on an array we own.

        sigmoid(x) = (1 + tanh(x / 2)) / 2

    since tanh(x / 2) = (1 - exp(-x)) / (1 + exp(-x)). tanh never overflows
    and saturates to exactly -1 and 1, so the limits 0 and 1 are exact here
    too; four passes over a (scale, tanh, shift, scale), where sigmoid's two
    branches take seven passes and a fresh array for each. The price: the
    error is an ulp or two absolute, not relative (far below zero, 1 + tanh
    cancels: x = -40 gives 0 where sigmoid gives 4e-18), which no gate
    gradient notices. The sequence layers use it on the gate blocks of their
    own pre-activation buffers.

    Inputs:
    - a: float array of any shape (a view is fine), overwritten

    Returns:
    - a, now holding sigmoid of its old values
    """
    a *= 0.5
    np.tanh(a, out=a)
    a += 1
    a *= 0.5
    return a
