"""Hand-derived forward and backward passes of every catalogue layer, pure NumPy.

Each backward's docstring carries its derivation; ``reference`` holds the
same functions with gradients from autograd, and tests hold the two
together. Nothing here imports ``reference``, ``rnncheck`` or autograd.
"""
from .activations import sigmoid
from .embedding import word_embedding_backward, word_embedding_forward
from .gru import gru_backward, gru_forward, gru_step_backward, gru_step_forward
from .lstm import lstm_backward, lstm_forward, lstm_step_backward, lstm_step_forward
from .rnn import rnn_backward, rnn_forward, rnn_step_backward, rnn_step_forward
from .temporal import temporal_affine_backward, temporal_affine_forward, temporal_softmax_loss

__all__ = [
    "sigmoid",
    "rnn_step_forward", "rnn_step_backward", "rnn_forward", "rnn_backward",
    "word_embedding_forward", "word_embedding_backward",
    "lstm_step_forward", "lstm_step_backward", "lstm_forward", "lstm_backward",
    "gru_step_forward", "gru_step_backward", "gru_forward", "gru_backward",
    "temporal_affine_forward", "temporal_affine_backward",
    "temporal_softmax_loss",
]
