"""How a course is declared: its functions, their inputs and outputs, and the oracle of each.

A course is one Python file, written by the instructor and read only by
rnncheck's own process (never by a worker), that defines ``COURSE``, a
:class:`Course`: a tuple of :class:`Layer` entries, one per forward (and
its backward).  Everything else (cases, the worker protocol, comparison,
localisation, self-consistency, known mistakes, every output format) reads
from that declaration.  ``courses/cs231n.py`` is the CS231n homework
written this way; ``examples/peephole_course.py`` a layer of one's own.

Shapes are tuples of dimension expressions: a dimension name, optionally
multiplied (``"4H"``) or summed (``"n_a+n_x"``), or a number (``1``).  Cases give values to the
canonical dimensions N batch, T time, D input, H hidden, V vocabulary and M
output; a course names its own dimensions as aliases of those
(``dims={"n_a": "H", "m": "N", ...}``).

An input is a *leaf*: one array.  Leaves with a ``group`` are gathered,
in order, into one dictionary argument of that name (deeplearning.ai's
``parameters``); every other leaf is an argument of its own.  Gradients are
always of leaves.
"""
import importlib
import os
import re
from dataclasses import dataclass, field, replace

KINDS = ("float", "index", "label", "mask")
CANONICAL = "NTDHVM"


@dataclass(frozen=True)
class Input:
    """One leaf input of a forward.

    - kind: ``float`` (standard normal times ``scale``), ``index`` (ints in
      [0, V) with a repeat), ``label`` (ints in [0, V)) or ``mask`` (bools).
    - group: the dictionary argument this leaf is an entry of, or None.
    - gates: names of the gate blocks along its last axis when they are not
      the layer's (peephole weights (3H,) of an "ifog" layer: ``"ifo"``).
    """
    name: str
    shape: tuple
    kind: str = "float"
    scale: float = 1.0
    group: str = None
    gates: str = None


@dataclass(frozen=True)
class Relayout:
    """A layer that is a built-in one in another layout, so that the built-in layer's known mistakes apply.

    - course, layer: the built-in layer (``"cs231n"``, ``"lstm_step"``).
    - inputs(leaves) -> that layer's inputs; upstream(upstream, leaves) ->
      that layer's upstream gradients;
    - outputs(theirs, leaves) -> this layer's forward outputs from that
      layer's; grads(theirs, leaves) -> this layer's gradients from that
      layer's (lists in this layer's order).
    - words: ``{our term: this layer's term}``, over the course's ``words``
      (``Wx`` is ``Wax`` in one layer, ``Wf``... in another); ``skip``:
      patterns of the built-in layer's mistake ids that cannot be made in
      this layout (``"lstm_gate_order_*"``).
    """
    course: str
    layer: str
    inputs: object
    upstream: object
    outputs: object
    grads: object
    words: dict = field(default_factory=dict, hash=False, compare=False)
    skip: tuple = ()


@dataclass(frozen=True)
class Layer:
    """A forward (and its backward, if any) as the homework defines them.

    - forward: function name; returns ``(*outputs, cache)`` when ``backward``
      is set, else just its outputs (one array, or a tuple of them).
    - inputs: the leaves, in argument order (a group's leaves together).
    - outputs: names of the forward's outputs (without the cache).
    - oracle: the forward as a graph in ``autograd.numpy`` (a function, or
      ``"module:name"`` imported when first needed), taking the forward's
      arguments and returning its outputs (one array or a tuple); the
      reference gradients are autograd's VJP of it.
    - backward: function name or None; takes ``upstream`` and the cache.
    - upstream: names of the backward's upstream gradients; ``upstream_of``:
      the outputs they are gradients of (default: every output, in order).
    - differentiable: leaf names the backward returns gradients for;
      ``grads``: what it calls them (default ``"d" + name``); ``returns``:
      ``"tuple"`` (in that order) or ``"dict"`` (keyed by those names).
    - required: part of the assignment as handed out (else checked when defined);
      ``optional``: functions of a required layer that are checked only when
      written (deeplearning.ai's backwards).
    - stress: an extra, numerically hard case: a name from ``oracle.cases.STRESS``,
      or ``(label, function(inputs, layer, rng) -> inputs)``.
    - keywords: optional parameters the forward has after its inputs, as
      written there (``"verbose=False"``); never passed, only shown.
    - given: keyword arguments every call of the forward gets, the oracle's
      too (``{"ignore_index": 0}``: EECS 498's loss); plain JSON values.
    - gates: names of the gate blocks along the last axis of the weights
      (``"ifog"``), for diagnosis; ``time_axis``: the time axis of a sequence's
      (batch, time, ...) arrays.
    - self_gradients: for a forward that returns a value and its own gradient
      (a loss): ``(value output, {gradient output: input})``.
    - hints: ``{pattern: text}`` shown when a raised error's message matches.
    - relayout: a :class:`Relayout` onto a built-in layer, whose known
      mistakes are then named for this one too.
    """
    name: str
    forward: str
    inputs: tuple
    outputs: tuple
    oracle: object = None
    backward: str = None
    upstream: tuple = ()
    upstream_of: tuple = None
    differentiable: tuple = ()
    grad_names: tuple = None
    returns: str = "tuple"
    required: bool = True
    optional: tuple = ()
    stress: object = None
    keywords: tuple = ()
    given: dict = field(default_factory=dict, hash=False, compare=False)
    gates: str = None
    time_axis: int = 1
    self_gradients: tuple = None
    hints: dict = field(default_factory=dict, hash=False, compare=False)
    relayout: Relayout = None
    course: str = None  # the key of the course that declares it (set by ``Course``)

    @property
    def grads(self):
        return tuple(self.grad_names or ("d" + name for name in self.differentiable))

    @property
    def functions(self):
        return (self.forward, self.backward) if self.backward else (self.forward,)

    @property
    def gradient_of(self):
        """The outputs the upstream gradients belong to, in the backward's order."""
        return tuple(self.upstream_of or self.outputs)

    def gates_of(self, name):
        """Gate blocks along the last axis of the array ``name`` (a gradient, an output): its leaf's or the layer's."""
        leaf = dict(zip(self.grads, self.differentiable)).get(name)
        spec = next((s for s in self.inputs if s.name == leaf), None)
        return spec.gates if spec is not None and spec.gates else self.gates

    def arguments(self):
        """The call's arguments: ``[(name, None)]`` for a leaf, ``[(group, (keys...))]`` for a dictionary."""
        found = []
        for spec in self.inputs:
            if spec.group is None:
                found.append((spec.name, None))
            elif found and found[-1][0] == spec.group and found[-1][1] is not None:
                found[-1] = (spec.group, found[-1][1] + (spec.name,))
            else:
                found.append((spec.group, (spec.name,)))
        return found

    def assemble(self, leaves):
        """The forward's arguments from its leaves (dictionaries built for groups)."""
        leaves, args = list(leaves), []
        for _, keys in self.arguments():
            if keys is None:
                args.append(leaves.pop(0))
            else:
                args.append({key: leaves.pop(0) for key in keys})
        return args

    def path(self, leaf):
        """How a student would write a leaf: ``x`` or ``parameters["Wax"]``."""
        spec = next(s for s in self.inputs if s.name == leaf)
        return f'{spec.group}["{leaf}"]' if spec.group else leaf

    def graph(self):
        """The oracle's forward graph (importing it when it is named by a string)."""
        if isinstance(self.oracle, str):
            module, _, name = self.oracle.partition(":")
            return getattr(importlib.import_module(module), name)
        return self.oracle

    def weights(self, upstream):
        """One upstream gradient (or None) per forward output, from the backward's ``upstream``."""
        given = dict(zip(self.gradient_of, upstream))
        return [given.get(name) for name in self.outputs]


@dataclass(frozen=True)
class Course:
    """A homework: its layers, the names of its dimensions, what students may import.

    - name: short name (``--course NAME``); title: what it is, for reports.
    - dims: the course's dimension names as aliases of the canonical ones.
    - support: files (paths relative to the course file) a submission may
      import, as its notebook environment provides them (``rnn_utils.py``);
      ``preamble``: statements run before the submission's, for the names a
      notebook's functions read without importing them (``from rnn_utils import *``).
    - framework: ``"numpy"``, or ``"torch"``: inputs reach the functions as
      float64 tensors and results come back as arrays.
    - recognise_by: module names whose import marks a file as this course's
      when function names alone cannot tell (``("torch",)``).
    - words: ``{our term: the course's term}`` used to word known mistakes
      of built-in layers in the course's own terms.
    """
    name: str
    title: str
    layers: tuple
    dims: dict = field(default_factory=dict, hash=False, compare=False)
    support: tuple = ()
    preamble: str = ""
    framework: str = "numpy"
    recognise_by: tuple = ()
    words: dict = field(default_factory=dict, hash=False, compare=False)
    origin: str = None  # the course file it was read from (set by ``courses.load``; None for a built-in)
    folder: str = None  # the folder of its declaration, where ``support`` is found (set by ``courses.load``)

    def __post_init__(self):
        """Each layer learns its course's key, and its shapes are written in the canonical dimensions."""
        for layer in self.layers:
            _check(layer, f"course {self.name!r}, layer {layer.name!r}", self.dims)
        layers = tuple(replace(layer, course=self.key, inputs=tuple(
            replace(spec, shape=tuple(_canonical(axis, self.dims) for axis in spec.shape)) for spec in layer.inputs))
            for layer in self.layers)
        object.__setattr__(self, "layers", layers)

    @property
    def key(self):
        """What finds this course again (``courses.load``): a built-in name, or the file's path."""
        return self.origin or self.name

    @property
    def functions(self):
        return tuple(f for layer in self.layers for f in layer.functions)

    @property
    def required(self):
        return tuple(f for layer in self.layers if layer.required for f in layer.functions if f not in layer.optional)

    def label(self, text):
        """A case's label in the course's dimension names: "N=3 D=5" -> "m=3 n_x=5"."""
        if not self.dims:
            return text
        names = {canonical: alias for alias, canonical in self.dims.items()}
        return re.sub(r"\b[NTDHVM]\b", lambda match: names.get(match.group(0), match.group(0)), text)

    def support_files(self):
        """Absolute paths of the support files."""
        return [os.path.join(self.folder or "", path) for path in self.support]

    def layer_of(self, function):
        """The entry that defines ``function``."""
        for layer in self.layers:
            if function in layer.functions:
                return layer
        raise KeyError(function)


_TERM = re.compile(r"^\s*(\d*)\s*([A-Za-z_]\w*)?\s*$")  # "4H", "n_a", "1"


def _canonical(axis, aliases):
    """``"n_a+n_x"`` with n_a -> H, n_x -> D: ``"H+D"``."""
    terms = []
    for term in str(axis).split("+"):
        count, name = _TERM.match(term).groups()
        terms.append(count + aliases.get(name, name or ""))
    return "+".join(terms)


def _check(layer, where, aliases):
    """A ValueError naming the first thing of ``layer`` the rest of rnncheck could not use (a typo in a course file)."""
    wrong_alias = next((alias for alias, name in aliases.items() if name not in CANONICAL), None)
    if wrong_alias:
        raise ValueError(f"{where}: dims maps {wrong_alias} to {aliases[wrong_alias]!r}, "
                         f"not one of {', '.join(CANONICAL)}")
    names = set(CANONICAL) | set(aliases)
    known = ", ".join(CANONICAL) + (f" or the course's dims {', '.join(aliases)}" if aliases else "")
    for spec in layer.inputs:
        for axis in spec.shape:
            for term in str(axis).split("+"):
                count, name = _TERM.match(term).groups() if _TERM.match(term) else (None, "?")
                if not (count or name) or (name and name not in names):
                    raise ValueError(f"{where}: input {spec.name} has the dimension {axis!r} in its shape "
                                     f"{spec.shape}; a dimension is a number or a name ({known}), "
                                     f"optionally multiplied (4H) or summed (H+D)")
        if spec.kind not in KINDS:
            raise ValueError(f"{where}: input {spec.name} has the kind {spec.kind!r}, not one of {', '.join(KINDS)}")
    leaves = [spec.name for spec in layer.inputs]
    for label, named, among, what in (("differentiable", layer.differentiable, leaves, "inputs"),
                                      ("upstream_of", layer.upstream_of or (), layer.outputs, "outputs")):
        unknown = [name for name in named if name not in among]
        if unknown:
            raise ValueError(f"{where}: {label} names {', '.join(unknown)}, not among its {what} ({', '.join(among)})")
    if layer.backward and len(layer.upstream) != len(layer.gradient_of):
        raise ValueError(f"{where}: {len(layer.upstream)} upstream gradients ({', '.join(layer.upstream)}) "
                         f"for {len(layer.gradient_of)} outputs ({', '.join(layer.gradient_of)}); set upstream_of")
    if layer.returns not in ("tuple", "dict"):
        raise ValueError(f"{where}: returns is {layer.returns!r}, not 'tuple' or 'dict'")


def resolve(shape, dims):
    """Concrete shape of a symbolic one: ``("H", "4H")`` with H=3 -> (3, 12); ``"n_a+n_x"`` is a sum."""
    return tuple(sum(_term(term, dims) for term in str(axis).split("+")) for axis in shape)


def _term(term, dims):
    count, name = _TERM.match(term).groups()
    return int(count or 1) * dims[name] if name else int(count)


__all__ = ["Input", "Layer", "Course", "Relayout", "resolve", "KINDS", "CANONICAL"]
