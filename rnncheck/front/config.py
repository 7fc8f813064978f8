"""A course's configuration: ``[tool.rnncheck]`` in pyproject.toml, merged with command-line flags.

The table is looked for in the nearest ``pyproject.toml`` from the current
directory upwards (or in the file given with ``--config``).  Every key is
checked: an unknown key or a value of the wrong type is a ``ConfigError``
naming the key, never silently ignored.  Flags given on the command line
win over the file; ``--allow-import`` adds to ``allow-imports``.

    [tool.rnncheck]
    functions = ["rnn_*", "lstm_*"]         # required functions (globs); default: the 14 CS231n ones
    seed = 2026
    allow-imports = ["scipy"]
    require-isolation = true                # refuse to run submitted code without full confinement
    strict = true                           # a numerical gradient fails (default: a warning)
    [tool.rnncheck.weights]                 # points per function, default 1
    lstm_backward = 3
    [tool.rnncheck.tolerances]              # largest relative error that passes
    float64 = 1e-7
    float32 = 2e-4
    [tool.rnncheck.limits]
    timeout = 10                            # seconds per call
    load-timeout = 20                       # seconds per top-level statement
    memory = "2G"                           # the worker's address space
    max-output = "64K"                      # printed output kept
    scratch = "256M"                        # what the worker may write into its scratch directory
    tasks = 64                              # threads of one worker at once
"""
import fnmatch
import os
from dataclasses import dataclass, field, replace

from .. import courses
from ..judge.compare import TOLERANCE
from ..sandbox.limits import BLOCKED, Limits
from ..judge.verify import selection

LIMIT_KEYS = {"timeout": "call_seconds", "load-timeout": "load_seconds", "memory": "memory_bytes",
              "max-output": "output_bytes", "scratch": "scratch_bytes", "tasks": "tasks"}
SIZES = ("memory", "max-output", "scratch")
COUNTS = ("tasks",)


class ConfigError(Exception):
    """The configuration (file or flags) cannot be used; the message names the key."""


@dataclass
class Settings:
    """Everything a check depends on besides the submission.

    - patterns: ``--functions`` globs (selected functions become required); empty means the default set.
    - seed: None means a random one is drawn.
    - weights: function name -> points (missing names weigh 1).
    - tolerances: {"float64": ..., "float32": ...}.
    - limits: the worker's :class:`Limits`.
    - allowed: modules submissions may import although ``BLOCKED`` names them.
    - course: the course asked for (a built-in name or a course file's path), None to recognise each file's.
    """
    patterns: list = field(default_factory=list)
    seed: int = None
    weights: dict = field(default_factory=dict)
    tolerances: dict = field(default_factory=lambda: dict(TOLERANCE))
    limits: Limits = field(default_factory=Limits)
    allowed: list = field(default_factory=list)
    source: str = None
    course: str = None

    @property
    def blocked(self):
        return tuple(b for b in BLOCKED if b not in self.allowed)


def size(text):
    """Bytes from '2G', '512M', '64K' or a plain number."""
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    text = str(text).strip().upper().removesuffix("B")
    if text and text[-1] in units:
        return int(float(text[:-1]) * units[text[-1]])
    return int(text)


def find(start=None):
    """The nearest pyproject.toml from ``start`` (default: the current directory) upwards, or None."""
    directory = os.path.abspath(start or os.getcwd())
    while True:
        candidate = os.path.join(directory, "pyproject.toml")
        if os.path.isfile(candidate):
            return candidate
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def read(path, explicit=False):
    """The validated ``[tool.rnncheck]`` table of ``path`` as a dict ({} when there is none).

    ``explicit`` (a file given with ``--config``): a missing file or table is an error.
    """
    tomllib = _toml_parser()
    try:
        with open(path, "rb") as handle:
            document = tomllib.load(handle)
    except OSError as error:
        raise ConfigError(f"cannot read the configuration {path}: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path} is not valid TOML: {error}") from None
    table = document.get("tool", {}).get("rnncheck")
    if table is None:
        if explicit:
            raise ConfigError(f"{path} has no [tool.rnncheck] table")
        return {}
    return validate(table, path, path)


def validate(table, where="configuration", path=None):
    """Check every key and type of a ``[tool.rnncheck]`` table (read from ``path``, if any); returns it unchanged."""
    def fail(key, what):
        raise ConfigError(f"{where}: [tool.rnncheck] {key}: {what}")

    known = {"functions", "seed", "weights", "tolerances", "limits", "allow-imports", "require-isolation",
             "strict", "course"}
    _expect_table(table, "tool.rnncheck", fail)
    for key in table:
        if key not in known:
            fail(key, f"unknown key (known: {', '.join(sorted(known))})")
    if "course" in table and not isinstance(table["course"], str):
        fail("course", "expected a course name or the path of a course file")
    known_functions = _functions(_relative(table.get("course"), path), fail)
    if "functions" in table:
        patterns = table["functions"]
        if not _strings(patterns):
            fail("functions", "expected a list of function names or globs")
        unmatched = [p for p in patterns if not fnmatch.filter(known_functions, p)]
        if unmatched:
            fail("functions", f"{', '.join(unmatched)} matches no catalogue function")
    if "seed" in table and not (_integer(table["seed"]) and table["seed"] >= 0):
        fail("seed", "expected a non-negative integer")
    if "allow-imports" in table and not _strings(table["allow-imports"]):
        fail("allow-imports", "expected a list of module names")
    for key in ("require-isolation", "strict"):
        if key in table and not isinstance(table[key], bool):
            fail(key, "expected true or false")
    for name, weight in _expect_table(table.get("weights", {}), "weights", fail).items():
        if name not in known_functions:
            fail(f"weights.{name}", "not a catalogue function")
        if not (_number(weight) and weight >= 0):
            fail(f"weights.{name}", "expected a non-negative number")
    for name, tolerance in _expect_table(table.get("tolerances", {}), "tolerances", fail).items():
        if name not in TOLERANCE:
            fail(f"tolerances.{name}", f"unknown key (known: {', '.join(TOLERANCE)})")
        if not (_number(tolerance) and 0 < tolerance < 1):
            fail(f"tolerances.{name}", "expected a number between 0 and 1")
    for name, value in _expect_table(table.get("limits", {}), "limits", fail).items():
        if name not in LIMIT_KEYS:
            fail(f"limits.{name}", f"unknown key (known: {', '.join(LIMIT_KEYS)})")
        if name in SIZES:
            if not _size_value(value):
                fail(f"limits.{name}", "expected a size such as \"2G\", \"64K\" or a number of bytes")
        elif name in COUNTS:
            if not (_integer(value) and value >= 2):
                fail(f"limits.{name}", "expected a whole number of at least 2 (the worker's own thread counts)")
        elif not (_number(value) and value > 0):
            fail(f"limits.{name}", "expected a positive number of seconds")
    return table


def resolve(flags, config_path=None, start=None):
    """Settings from a configuration file and flags (flags win).

    ``flags`` holds the command line's values, None where a flag was not
    given: ``functions`` (list of globs), ``seed``, ``timeout``,
    ``load_timeout``, ``memory``, ``max_output``, ``scratch``, ``tasks``,
    ``allow_import`` (list), ``require_isolation``, ``strict`` (bools).
    """
    path = config_path or find(start)
    table = read(path, explicit=bool(config_path)) if path else {}
    settings = Settings(source=path if table else None)
    settings.course = flags.get("course") or _relative(table.get("course"), path)
    known_functions = _functions(settings.course, lambda key, what: _raise(f"{key}: {what}"))
    settings.patterns = list(flags.get("functions") or table.get("functions") or [])
    unmatched = [p for p in settings.patterns if not fnmatch.filter(known_functions, p)]
    if unmatched:
        raise ConfigError(f"--functions {', '.join(unmatched)} matches no catalogue function "
                          f"{'of ' + settings.course if settings.course else 'of any course'} "
                          f"(known: {', '.join(known_functions)})")
    settings.seed = flags.get("seed") if flags.get("seed") is not None else table.get("seed")
    settings.weights = dict(table.get("weights", {}))
    required = set().union(*(selection(settings.patterns, course)[1] for course in courses.candidates(settings.course)))
    ungraded = sorted(set(settings.weights) - required)
    if ungraded:
        raise ConfigError(f"{path}: [tool.rnncheck] weights.{ungraded[0]}: {ungraded[0]} is not a required "
                          f"function, so it earns no points (add it to functions)")
    settings.tolerances.update(table.get("tolerances", {}))
    limits = {LIMIT_KEYS[k]: size(v) if k in SIZES else int(v) if k in COUNTS else float(v)
              for k, v in table.get("limits", {}).items()}
    for flag, key in (("timeout", "timeout"), ("load_timeout", "load-timeout"), ("memory", "memory"),
                      ("max_output", "max-output"), ("scratch", "scratch"), ("tasks", "tasks")):
        if flags.get(flag) is not None:
            limits[LIMIT_KEYS[key]] = flags[flag]
    settings.limits = replace(Limits(), **limits, require_isolation=bool(
        flags.get("require_isolation") or table.get("require-isolation", False)),
        strict=bool(flags.get("strict") or table.get("strict", False)))
    settings.allowed = list(table.get("allow-imports", [])) + list(flags.get("allow_import") or [])
    return settings


def _functions(course, fail):
    """``courses.functions(course)``; a course that cannot be loaded is a configuration error (``fail``)."""
    try:
        return courses.functions(course)
    except courses.CourseError as error:
        fail("course", str(error))


def _relative(course, config_path):
    """A course file named in a configuration file is found beside that file."""
    if course and course not in courses.BUILTIN and config_path and not os.path.isabs(course):
        return os.path.join(os.path.dirname(os.path.abspath(config_path)), course)
    return course


def _raise(message):
    raise ConfigError(message)


def _toml_parser():
    """``tomllib`` (``tomli`` before Python 3.11), imported only when there is a file to read."""
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib
    return tomllib


def _expect_table(value, key, fail):
    if not isinstance(value, dict):
        fail(key, "expected a table")
    return value


def _strings(value):
    return isinstance(value, list) and all(isinstance(item, str) and item for item in value)


def _integer(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _size_value(value):
    if _integer(value):
        return value > 0
    if isinstance(value, str):
        try:
            return size(value) > 0
        except ValueError:
            return False
    return False
