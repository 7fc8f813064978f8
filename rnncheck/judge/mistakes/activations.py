"""Known mistakes of the stable sigmoid: edits of manual/activations.py."""
from .entry import mistake

MISTAKES = (
    # sigmoid
    mistake("sigmoid_negative_branch", "sigmoid",
       "the x < 0 branch of the stable sigmoid returns 1 / (1 + exp(x))",
       "for x < 0 return exp(x) / (1 + exp(x)); 1 / (1 + exp(x)) is sigmoid(-x)", "activations",
       ("np.where(x >= 0, 1 / (1 + z), z / (1 + z))", "np.where(x >= 0, 1 / (1 + z), 1 / (1 + z))")),
    mistake("sigmoid_of_minus_x", "sigmoid", "computes sigmoid(-x) = 1 / (1 + exp(x))",
       "sigmoid(x) = 1 / (1 + exp(-x)): the exponent has a minus sign", "activations",
       ("np.where(x >= 0, 1 / (1 + z), z / (1 + z))", "np.where(x >= 0, z / (1 + z), 1 / (1 + z))")),
)
