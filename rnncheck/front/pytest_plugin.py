"""pytest plugin: ``pytest --rnncheck PATH`` collects one test per function of its course of PATH.

Registered as a ``pytest11`` entry point, so it is loaded by every pytest
run where rnncheck is installed; without ``--rnncheck`` it adds an option
and does nothing else (it imports only pytest until then).  The submission
is checked once, lazily, when its first test runs; each test then reports
its function's verdict.  A failing test's text is the verdict message with
its diagnosis, and ``--junitxml`` turns that into JUnit XML for any CI.

Settings come from the course configuration (``[tool.rnncheck]`` in the
nearest pyproject.toml, or ``--rnncheck-config``); the seed is
``--rnncheck-seed``, else the configuration's, else 0, so that a CI run is
reproducible.
"""
import pytest


def pytest_addoption(parser):
    group = parser.getgroup("rnncheck", "checking hand-derived RNN/LSTM/GRU layers")
    group.addoption("--rnncheck", action="append", default=[], metavar="PATH",
                    help="check this submission (.py, .ipynb, exported text): one test per function of its course")
    group.addoption("--rnncheck-seed", type=int, default=None, metavar="N",
                    help="seed of the generated cases (default: the configuration's, else 0)")
    group.addoption("--rnncheck-config", default=None, metavar="FILE",
                    help="pyproject.toml with [tool.rnncheck] (default: the nearest one upwards)")
    group.addoption("--rnncheck-course", default=None, metavar="NAME|PATH",
                    help="the course (cs231n, dlai, eecs498, or a course file); default: the one each file fits")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session, config, items):
    """Add the submissions' tests before deselection (-k, --deselect) sees the items."""
    paths = config.getoption("rnncheck")
    if not paths:
        return
    from .batch import private
    settings = _settings(config)
    settings.limits = private(settings.limits, len(paths))  # several submissions: none reads another's file
    for path in paths:
        submission = Submission.from_parent(session, path=_absolute(config, path))
        submission.settings = settings
        items.extend(session.genitems(submission))  # reported as collected, like any test file


def _settings(config):
    """The course configuration with the plugin's flags; a bad one stops the run with its key named."""
    from .config import ConfigError, resolve
    try:
        settings = resolve({"seed": config.getoption("rnncheck_seed"), "course": config.getoption("rnncheck_course")},
                           config.getoption("rnncheck_config"),
                           start=str(config.invocation_params.dir))
    except ConfigError as error:
        raise pytest.UsageError(f"rnncheck: {error}") from None
    if settings.seed is None:
        settings.seed = 0
    return settings


def _absolute(config, path):
    import pathlib
    return pathlib.Path(config.invocation_params.dir, path).resolve()


class Submission(pytest.File):
    """One submission file; its verdict is computed once, by the first test that needs it."""

    verdict = settings = None

    def collect(self):
        for name in _course_of(str(self.path), self.settings.course).functions:
            yield FunctionCheck.from_parent(self, name=name)

    def checked(self):
        if self.verdict is None:
            self.verdict = _check(str(self.path), self.settings)
        return self.verdict


class FunctionCheck(pytest.Item):
    """The verdict on one catalogue function of the submission."""

    def runtest(self):
        verdict = self.parent.checked()
        function = next((f for f in verdict["functions"] if f["name"] == self.name), None)
        if function is None:
            pytest.skip(f"{self.name} is optional and not defined")
        if function["status"] != "pass":
            raise FunctionFailed(function, verdict)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, FunctionFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        return self.path, None, f"rnncheck {self.name}"


class FunctionFailed(Exception):
    """A function's verdict is not ``pass``; the text is its explanation."""

    def __init__(self, function, verdict):
        from ..views.report import explanation, notes
        reproduce = f"(reproduce with rnncheck --seed {verdict['seed']})"
        text = "\n".join([explanation(function), *notes(verdict), reproduce])
        super().__init__(text)


def _check(path, settings):
    """The verdict on ``path`` (an unreadable file is a verdict too: every function an error)."""
    from ..load.loader import UnreadableSubmission, load
    from ..judge.verify import check_source, unchecked
    try:
        source = load(path)
    except UnreadableSubmission as error:
        return unchecked(path, settings.seed, settings.patterns, str(error), settings.course)
    return check_source(source, settings.seed, settings.patterns, settings.limits, settings.blocked,
                        settings.tolerances, settings.course)


def _course_of(path, requested):
    """The course whose functions become tests: the one configured, else the one the file fits."""
    from .. import courses
    from ..load.loader import UnreadableSubmission, load
    from ..load.which_course import choose
    try:
        return choose(load(path), requested)[0]
    except UnreadableSubmission:
        return courses.load(requested)
