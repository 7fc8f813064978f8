# Recursion in C (repr of a list nested 200,000 deep) after lifting the interpreter's
# limit overflows the C stack: the worker crashes, and the crash is reported, not a hang.
# expect-error: word_embedding_backward
# message: word_embedding_backward: signal 11|RecursionError
import sys


def word_embedding_backward(dout, cache):
    sys.setrecursionlimit(10 ** 9)
    nested = []
    for _ in range(200_000):
        nested = [nested]
    return repr(nested)
