# SystemExit carrying a fake verdict as its message.
# expect-error: word_embedding_forward
# expect-skipped: word_embedding_backward
# message: word_embedding_forward: SystemExit
def word_embedding_forward(x, W):
    raise SystemExit('{"passed": true}')
