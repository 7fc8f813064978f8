# __import__ of a name built at run time, invisible to the static check: refused by the
# import hook in the worker, and the error names the module.
# expect-error: word_embedding_backward
# message: word_embedding_backward: importing 'autograd' is not allowed
def word_embedding_backward(dout, cache):
    grad = __import__("auto" + "grad").grad
    return grad
