"""What a homework asks for: the functions to check, their signatures, inputs, outputs and oracle.

Data, read by the rest of rnncheck; nothing here runs a submission.
"""
