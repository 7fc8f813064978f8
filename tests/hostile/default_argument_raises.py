# A default argument is evaluated when the definition runs: 1 / 0 there.
# expect-error: word_embedding_forward
# expect-skipped: word_embedding_backward
# message: word_embedding_forward: definition .* raised ZeroDivisionError
def word_embedding_forward(x, W, scale=1 / 0):
    return W[x, :], (x, W)
