"""What a homework asks for: the functions to check, their signatures, inputs, outputs and oracle.

A course is declared as data (``course.Course``) in one Python file that
defines ``COURSE``; ``load`` reads a built-in one by name or any by path.
Data read by the rest of rnncheck; nothing here runs a submission.
"""
import importlib
import importlib.util
import os
from dataclasses import replace

from .course import Course, Input, Layer, Relayout  # noqa: F401  (the vocabulary of a course file)

BUILTIN = {"cs231n": "rnncheck.courses.cs231n", "dlai": "rnncheck.courses.dlai", "eecs498": "rnncheck.courses.eecs498"}
DEFAULT = "cs231n"
_loaded = {}


class CourseError(Exception):
    """No such course, or a course file that does not declare one."""


def load(name=None):
    """The ``Course`` named (a built-in name, or the path of a course file); the default without a name."""
    key = name or DEFAULT
    if key not in _loaded:
        _loaded[key] = _read(key)
    return _loaded[key]


def candidates(name=None):
    """The course named, or every built-in one when none is (each file's own is then recognised)."""
    return [load(name)] if name else [load(key) for key in BUILTIN]


def functions(name=None):
    """The functions of ``candidates(name)``, each once, in course order."""
    return list(dict.fromkeys(f for course in candidates(name) for f in course.functions))


def _read(key):
    if key in BUILTIN:
        module = importlib.import_module(BUILTIN[key])
    elif key.endswith(".py") or os.sep in key:
        path = os.path.abspath(key)
        if not os.path.isfile(path):
            raise CourseError(f"no course file {key}")
        spec = importlib.util.spec_from_file_location(f"rnncheck_course_{abs(hash(path))}", path)
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
        except Exception as error:
            raise CourseError(f"the course file {key} raised {type(error).__name__}: {error}") from None
    else:
        raise CourseError(f"no course {key!r} (built in: {', '.join(BUILTIN)}; or give a course file's path)")
    course = getattr(module, "COURSE", None)
    if not isinstance(course, Course):
        raise CourseError(f"{key} defines no COURSE = Course(...)")
    folder = os.path.dirname(os.path.abspath(module.__file__))
    if key in BUILTIN:
        return replace(course, folder=folder)
    return replace(course, origin=os.path.abspath(key), folder=folder)
