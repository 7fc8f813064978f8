# The verifier itself, imported from a function body.
# expect-error: temporal_softmax_loss
# message: temporal_softmax_loss: 'rnncheck' is not allowed|uses rnncheck
def temporal_softmax_loss(x, y, mask, verbose=False):
    from rnncheck import compare
    return compare.TOLERANCE, None
