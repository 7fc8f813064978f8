"""The mini course's support file (as deeplearning.ai's rnn_utils.py): helpers a notebook's functions read."""
import numpy as np


def softmax(x):
    e_x = np.exp(x - np.max(x))
    return e_x / e_x.sum(axis=0)
