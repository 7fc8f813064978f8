# Unbounded recursion: RecursionError, an ordinary error.
# expect-error: word_embedding_backward
# message: word_embedding_backward: RecursionError
def word_embedding_backward(dout, cache):
    return word_embedding_backward(dout, cache)
