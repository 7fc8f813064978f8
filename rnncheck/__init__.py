"""rnncheck: check hand-derived RNN/LSTM/GRU backward passes against autograd.

Kept free of imports: the worker process imports ``rnncheck.worker`` and must
not pull in the reference or autograd.
"""
__version__ = "0.1.0"
