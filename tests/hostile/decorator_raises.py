# A decorator that raises while the definition runs.
# expect-error: word_embedding_backward
# message: word_embedding_backward: definition .* raised RuntimeError: registry is closed
def register(function):
    raise RuntimeError("registry is closed")


@register
def word_embedding_backward(dout, cache):
    x, W = cache
    dW = W * 0
    for n, t in zip(*x.nonzero()):
        dW[x[n, t]] += dout[n, t]
    return dW
