"""Which course a submission is for: the one asked for, else the one its definitions fit.

A course fits a file by the number of its functions the file defines with a
signature that can take the course's call (``signatures.mismatch``).  A
course that names modules in ``recognise_by`` (EECS 498: ``torch``) is a
candidate only for files that import one of them, and wins ties: the same
function names then mean that course.  Between courses that fit as many
functions, the one whose parameter names the file uses wins
(``lstm_backward(da, caches)`` is deeplearning.ai's, ``(dh, cache)`` CS231n's).  A file that fits no course is
checked as the default one, with a note naming the closest course.
"""
from .. import courses
from .policy import uses
from .signatures import assignment, mismatch


def choose(source, requested=None):
    """``(Course, {"name", "title", "chosen", "why"})`` for a loaded ``source``.

    ``requested`` is a ``Course``, a built-in name or a course file's path
    (``--course``, ``course =``), or None to recognise it.
    """
    if isinstance(requested, courses.Course):
        return requested, described(requested, "requested", "asked for")
    if requested:
        course = courses.load(requested)
        return course, described(course, "requested", "asked for")
    imported = _imported(source)
    scores = []
    for course in courses.candidates():
        if course.recognise_by and not imported & set(course.recognise_by):
            continue
        fits = _fits(course, source)
        scores.append((len(fits), _named_alike(course, source, fits), bool(course.recognise_by),
                       course.name == courses.DEFAULT, course, fits))
    count, _, _, _, course, fits = max(scores, key=lambda s: s[:4])
    if count:
        shown = ", ".join(fits[:3]) + (", ..." if len(fits) > 3 else "")
        return course, described(course, "recognised", f"it defines {shown}")
    default = courses.load()
    closest = _closest(source)
    why = "it defines none of any course's functions" + (f"; the closest is {closest}" if closest else "")
    return default, described(default, "default", why)


def described(course, how, why):
    """The verdict's ``course``: which course, and how and why it was chosen."""
    return {"name": course.name, "title": course.title, "chosen": how, "why": why}


def _fits(course, source):
    """The course's functions the file defines with a signature that takes the course's call."""
    found = []
    for layer in course.layers:
        for function in layer.functions:
            signature = source.signatures.get(function)
            if function in source.functions and mismatch(layer, function, signature) is None:
                found.append(function)
    return found


def _named_alike(course, source, fits):
    """How many of ``fits`` name their parameters as the course does (``lstm_backward(da, caches)``: a tie-break)."""
    alike = 0
    for function in fits:
        layer = course.layer_of(function)
        names = assignment(layer, function)[0][:-1 if function == layer.backward else None]  # a cache is any name
        signature = source.signatures.get(function)  # none for a decorated one
        alike += signature is not None and signature.positional[:len(names)] == names
    return alike


def _imported(source):
    """The root modules a file imports anywhere (module level or inside functions)."""
    found = getattr(source, "uses", None)
    if found is None:
        import ast
        found = uses(ast.parse(source.text).body)
    modules = set(found.aliases.values()) | set(found.starred)
    for _, imported in found.definitions.values():
        modules |= set(imported)
    return modules


def _closest(source):
    """``"dlai (rnn_cell_forward for rnn_cel_forward)"``: the course whose function names are nearest, or ""."""
    import difflib  # only for a file that fits no course
    defined = list(source.functions)
    best = (0.0, "")
    for course in courses.candidates():
        for function in defined:
            match = difflib.get_close_matches(function, course.functions, n=1, cutoff=0.75)
            if match:
                ratio = difflib.SequenceMatcher(None, function, match[0]).ratio()
                if ratio > best[0]:  # the first course listed (the default) wins a tie
                    best = (ratio, f"{course.name} ({match[0]} for {function})")
    return best[1]
