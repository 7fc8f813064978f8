"""A submitted function's parameters against the assignment's, read from its source.

Every catalogue function is called positionally, with the assignment's
arguments in the assignment's order (``rnn_step_forward(x, prev_h, Wx, Wh, b)``,
``rnn_step_backward(dnext_h, cache)``).  A definition that cannot take that
call (other courses' notebooks: ``rnn_step_forward(parameters, a_prev, x)``)
is named before anything runs, instead of ending in a bare TypeError.
Harmless variants are accepted: other parameter names (students rename),
extra parameters with defaults, ``*args`` and ``**kwargs``.
"""
import ast
from dataclasses import dataclass


OTHER_COURSES = {  # deeplearning.ai's "Building a recurrent neural network step by step"
    "rnn_step_forward": "rnn_cell_forward", "rnn_step_backward": "rnn_cell_backward",
    "lstm_step_forward": "lstm_cell_forward", "lstm_step_backward": "lstm_cell_backward",
}


@dataclass(frozen=True)
class Signature:
    """The parameters of one ``def``, as far as a positional call cares.

    - positional: names of the parameters a positional argument can fill, in order.
    - defaults: how many of the last ``positional`` have a default.
    - varargs: whether there is a ``*args``.
    - keywords: keyword-only parameters without a default.
    - text: the parameter list as written, ``"(x, prev_h, Wx, Wh, b)"``.
    """
    positional: tuple
    defaults: int
    varargs: bool
    keywords: tuple
    text: str

    @classmethod
    def of(cls, node):
        """The signature of an ``ast.FunctionDef``."""
        arguments = node.args
        positional = tuple(a.arg for a in arguments.posonlyargs + arguments.args)
        keywords = tuple(a.arg for a, default in zip(arguments.kwonlyargs, arguments.kw_defaults)
                         if default is None)
        text = ast.unparse(arguments)
        return cls(positional, len(arguments.defaults), arguments.vararg is not None, keywords,
                   f"({text if len(text) <= 100 else text[:100] + '...'})")


def assignment(layer, function):
    """The course's parameters of ``function`` (of ``layer``): (names it is called with, optional extras)."""
    if function == layer.backward:
        return tuple(layer.upstream) + ("cache",), ()
    return tuple(name for name, _ in layer.arguments()), layer.keywords


def mismatch(layer, function, signature):
    """One line naming why ``signature`` cannot take the assignment's call, or None."""
    if signature is None:
        return None
    names, extras = assignment(layer, function)
    count, positional = len(names), signature.positional
    reason = None
    if signature.keywords:
        reason = f"keyword-only {', '.join(signature.keywords)} without a default"
    elif len(positional) - signature.defaults > count:
        reason = f"it needs {len(positional) - signature.defaults} arguments, the assignment passes {count}"
    elif len(positional) < count and not signature.varargs:
        reason = f"it takes {len(positional)} arguments, the assignment passes {count}"
    else:
        moved = [p for i, p in enumerate(positional[:count]) if p in names and names.index(p) != i]
        if moved:
            reason = f"it is called in the assignment's order, which puts other values in {', '.join(moved)}"
    if reason is None:
        return None
    return f"{function} takes {signature.text}; the assignment's is ({', '.join(names + extras)}): {reason}"


def other_course(layer, function, signatures):
    """A note when ``function`` is missing but another course's version of it is defined, or None."""
    name = OTHER_COURSES.get(function)
    if name not in signatures:
        return None
    names, extras = assignment(layer, function)
    return (f"{name}{signatures[name].text} looks like another course's version; this assignment's is "
            f"{function}({', '.join(names + extras)})")
