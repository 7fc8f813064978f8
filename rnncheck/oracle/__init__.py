"""The oracle's answers: generated, seeded cases and what the reference says for each.

``cases`` draws inputs, ``answers`` computes one case's reference outputs
and gradients, ``expected`` keeps them for a batch, and ``client`` and
``serve`` move that work into a process of its own.
"""
