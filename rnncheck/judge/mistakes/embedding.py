"""Known mistakes of the word embedding: edits of manual/embedding.py."""
from .entry import mistake

MISTAKES = (
    # word embedding
    mistake("word_embedding_fancy_index_add", "word_embedding_backward",
       "dW[x] += dout drops the gradients of repeated words",
       "a word that occurs several times must collect every gradient: np.add.at(dW, x, dout)", "embedding",
       ("    np.add.at(dW, x, dout)\n", "    dW[x] += dout\n")),
    mistake("word_embedding_forward_reversed_time", "word_embedding_forward",
       "the words come out in reverse time order (out[:, t] holds word T - 1 - t)",
       "out[n, t] = W[x[n, t]]: index W with x as it is, out = W[x]", "embedding",
       ("    return W[x], WordEmbeddingCache", "    return W[x[:, ::-1]], WordEmbeddingCache")),
)
