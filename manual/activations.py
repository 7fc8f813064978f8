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

        sigmoid(x) = 1 / (1 + exp(-x))

    in four passes over a (negate, exp, add one, reciprocal), where
    sigmoid's two branches take seven passes and a fresh array for each.
    Far below zero exp(-x) overflows to inf and 1 / (1 + inf) is exactly 0;
    far above zero it underflows to 0 and the result is exactly 1: both are
    the right limits, so neither is reported. The error is an ulp or two,
    relative, like sigmoid's. The sequence layers use it on the gate blocks
    of their own pre-activation buffers.

    Inputs:
    - a: float array of any shape (a view is fine), overwritten

    Returns:
    - a, now holding sigmoid of its old values
    """
    np.negative(a, out=a)
    with np.errstate(over="ignore", under="ignore"):
        np.exp(a, out=a)
    a += 1
    np.divide(1, a, out=a)
    return a
