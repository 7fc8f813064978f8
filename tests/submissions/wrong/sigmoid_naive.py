# bug: naive sigmoid: values right, overflow warning only (np.exp(-x) overflows to inf for very negative x and 1 / (1 + inf) is still the correct 0)
import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))
