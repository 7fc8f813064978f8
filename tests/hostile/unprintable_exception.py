# An exception whose __str__ itself raises.
# expect-error: temporal_softmax_loss
# message: temporal_softmax_loss: raised Unprintable: <unprintable>
class Unprintable(Exception):
    def __str__(self):
        raise RuntimeError("no")


def temporal_softmax_loss(x, y, mask, verbose=False):
    raise Unprintable()
