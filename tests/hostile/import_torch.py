# torch, imported in a function body (refused whether or not it is installed).
# expect-error: word_embedding_forward
# expect-skipped: word_embedding_backward
# message: word_embedding_forward: 'torch' is not allowed|uses torch
def word_embedding_forward(x, W):
    import torch
    return torch.tensor(W)[x], None
