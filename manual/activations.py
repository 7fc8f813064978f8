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
