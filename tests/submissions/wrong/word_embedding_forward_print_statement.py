# bug: word_embedding_forward has a Python 2 print statement: it cannot be parsed on Python 3 (the hint says to write print(...)), and nothing else is affected
# expect-error: word_embedding_forward
# expect-skipped: word_embedding_backward
# message: word_embedding_forward: ^print is a function in Python 3: write print\(...\) \(could not be parsed: line \d+: Missing parentheses


def word_embedding_forward(x, W):
    print "embedding", x.shape
    return W[x], (x, W)
