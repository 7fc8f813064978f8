"""Command line: ``rnncheck [PATH ...]``; exit 0 passed, 1 not passed, 2 usage error.

A plain check imports only what it uses: the reporters of the other formats
(HTML pages, CSV, the autograders') and the summary table of a batch are
imported where they are needed (a test keeps it so).
"""
import argparse
import json
import os
import secrets
import sys
import time
from typing import NamedTuple

from .. import __version__
from . import batch
from ..views import progress, report
from .config import ConfigError, resolve, size
from ..load import which_course
from ..load.loader import Source, UnreadableSubmission, load
from ..load.paths import candidates
from ..sandbox import forkserver
from ..sandbox.limits import BLOCKED, IsolationMissing, Limits
from ..judge.verify import check_manual, check_source, prepare, selection, unchecked

FORMATS = ("text", "json", "csv", "gradescope", "prairielearn", "html")
AUTOGRADERS = ("gradescope", "prairielearn")  # one submission; an unreadable one is a result
TOLERANT = AUTOGRADERS + ("csv",)


class Unreadable(NamedTuple):
    """A path that cannot be checked, and why (a result in the TOLERANT formats)."""
    path: str
    reason: str


def _size(text):
    """argparse type for sizes ('2G', '64K', bytes)."""
    try:
        return size(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (e.g. 2G, 512M, 64K)") from None


def _tasks(text):
    value = int(text)
    if value < 2:
        raise argparse.ArgumentTypeError("must be at least 2 (the worker's own thread counts)")
    return value


def _positive(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def parser():
    defaults = Limits()
    p = argparse.ArgumentParser(
        prog="rnncheck",
        description="Check hand-derived RNN/LSTM/GRU layers (CS231n style) against an "
                    "autograd reference. With no PATH, checks the bundled manual/ implementation.",
        epilog="'rnncheck compare --help': hand-derived gradients against autograd's at realistic sizes "
               "(errors and times side by side; a maintainer's tool). To check a file named 'compare', "
               "write ./compare.")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help=".py, .ipynb or exported notebook text; a folder means its files")
    p.add_argument("--format", choices=FORMATS, default="text",
                   help="json: one verdict object per line (DESIGN.md contract); csv: one gradebook row per "
                        "submission; gradescope / prairielearn: the platform's results.json for one submission; "
                        "html: self-contained pages with error heatmaps (see --output), the text report on stdout")
    p.add_argument("--output", metavar="PATH",
                   help="html: the page to write (default report.html), or a folder: one page per "
                        "submission and index.html (always a folder for several submissions)")
    p.add_argument("--functions", action="append", metavar="GLOB",
                   help="check only these functions (comma-separated globs; they become required)")
    p.add_argument("--course", metavar="NAME|PATH",
                   help="the homework: cs231n, dlai, eecs498 or a course file (default: the course whose "
                        "functions each file defines, said in the report)")
    p.add_argument("--seed", type=int, help="seed of the generated cases (default: random, printed)")
    p.add_argument("--jobs", "-j", type=_positive, metavar="N",
                   help=f"submissions checked at once (default: the usable cores, here {batch.usable_cores()})")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress line on stderr")
    p.add_argument("--config", metavar="FILE",
                   help="a pyproject.toml with a [tool.rnncheck] table (default: the nearest pyproject.toml "
                        "from the current folder upwards); flags override it")
    p.add_argument("--timeout", type=float, metavar="S",
                   help=f"time limit per call, seconds (default {defaults.call_seconds:g})")
    p.add_argument("--load-timeout", type=float, metavar="S",
                   help=f"time limit per top-level statement when loading (default {defaults.load_seconds:g})")
    p.add_argument("--memory", type=_size, metavar="SIZE",
                   help="address-space cap of the worker, e.g. 2G (default 2G)")
    p.add_argument("--max-output", type=_size, metavar="SIZE",
                   help="printed output kept per submission (default 64K; the rest is discarded)")
    p.add_argument("--scratch", type=_size, metavar="SIZE",
                   help=f"what one worker may write into its scratch directory, e.g. 64M "
                        f"(default {defaults.scratch_bytes >> 20}M; a write past it is an error)")
    p.add_argument("--tasks", type=_tasks, metavar="N",
                   help=f"threads one worker may run at once, its own included (default {defaults.tasks}; "
                        f"a thread past it is an error)")
    p.add_argument("--allow-import", action="append", default=[], metavar="NAME",
                   help=f"let submissions import NAME (blocked: {', '.join(BLOCKED)})")
    p.add_argument("--require-isolation", action="store_true",
                   help="refuse to run submitted code unless the worker is fully confined (files, network, "
                        "signals, processes; see SECURITY.md): exit 2 saying what is missing")
    p.add_argument("--strict", action="store_true",
                   help="a backward that looks like a numerical gradient (differences of a forward) fails "
                        "instead of passing with a warning")
    p.add_argument("--version", action="version", version=f"rnncheck {__version__}")
    return p


def settings_from(options):
    """Course configuration merged with the flags; raises ConfigError."""
    patterns = [g.strip() for group in options.functions or [] for g in group.split(",") if g.strip()]
    flags = {"functions": patterns, "seed": options.seed, "timeout": options.timeout,
             "load_timeout": options.load_timeout, "memory": options.memory,
             "max_output": options.max_output, "scratch": options.scratch, "tasks": options.tasks,
             "allow_import": options.allow_import,
             "require_isolation": options.require_isolation, "course": options.course, "strict": options.strict}
    settings = resolve(flags, options.config)
    if settings.seed is None:
        settings.seed = secrets.randbelow(2 ** 31)
    return settings


def main(argv=None):
    started = time.monotonic()
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["compare"]:
        from .compare_cli import main as compare
        return compare(argv[1:])
    options = parser().parse_args(argv)
    try:
        if options.output and options.format != "html":
            raise UnreadableSubmission("--output is for --format html (the other formats go to standard output)")
        settings = settings_from(options)
        if settings.course:  # the reference is computed while the submissions load
            prepare(settings.seed, settings.patterns, settings.course)
        else:  # the fork server and the oracle process start while they load; the course is the first one's
            forkserver.prestart()
        items = _items(options)
        if not settings.course:
            prepare(settings.seed, settings.patterns, _recognised(items))
        settings.limits = batch.private(settings.limits, len(items))
    except (ConfigError, UnreadableSubmission) as error:
        print(f"rnncheck: error: {error}", file=sys.stderr)
        return 2

    def check(item):
        return _check(item, settings)

    shown = progress.Progress(sys.stderr, len(items)) if len(items) > 1 and progress.wanted(
        sys.stderr, options.quiet) else None
    jobs = options.jobs or batch.usable_cores()
    verdicts, functions = [], selection(settings.patterns, settings.course)[0]  # the CSV columns
    try:
        if options.format == "csv":
            from ..views import gradebook
            print(gradebook.line(gradebook.header(functions)), flush=True)
        for verdict in batch.run(items, check, jobs, shown.update if shown else None):
            verdicts.append(verdict)
            print(_formatted(verdict, options.format, settings, functions, time.monotonic() - started), flush=True)
    except IsolationMissing as missing:
        print(f"rnncheck: error: --require-isolation: submitted code would run without: {missing}", file=sys.stderr)
        return 2
    finally:
        if shown:
            shown.close()
    if options.format in ("text", "html") and len(verdicts) > 1:
        from ..views import summary
        print(summary.as_table(verdicts), flush=True)
    if options.format == "html" and not _write_pages(verdicts, options.output or "report.html"):
        return 2
    return 0 if all(v["passed"] for v in verdicts) else 1


def _write_pages(verdicts, output):
    """The HTML report: one page, or a folder of pages with index.html; False when it cannot be written."""
    from ..views import html as htmlreport
    folder = len(verdicts) > 1 or output.endswith("/") or os.path.isdir(output)
    try:
        written = htmlreport.write(verdicts, output, folder)
    except OSError as error:
        print(f"rnncheck: error: cannot write {output}: {error.strerror}", file=sys.stderr)
        return False
    print(f"rnncheck: wrote {written[0]}", file=sys.stderr)
    return True


def _recognised(items):
    """The course of the first loaded submission (``which_course``), or None (the default) without one."""
    first = next((item for item in items if isinstance(item, Source)), None)
    return first and which_course.choose(first)[0]


def _items(options):
    """What to check: loaded sources, or ready verdicts for what cannot be checked.

    In the autograder and CSV formats an unreadable submission is a result
    (an ``unchecked`` verdict); otherwise it is a usage error (raised).
    """
    if options.format in AUTOGRADERS and len(options.paths) != 1:
        raise UnreadableSubmission(f"--format {options.format} gives the results of one submission; "
                                   f"got {len(options.paths)} paths")
    if not options.paths:
        return [None]  # the bundled manual/
    tolerant = options.format in TOLERANT
    if options.format in AUTOGRADERS:
        found = candidates(options.paths)
        if len(found) > 1:
            names = ", ".join(os.path.basename(p) for p, _ in found)
            found = [(options.paths[0], f"expected one submission file, found {len(found)}: {names}")]
    else:
        found = candidates(options.paths)
    items = []
    for path, problem in found:
        try:
            if problem:
                raise UnreadableSubmission(problem)
            items.append(load(path))
        except UnreadableSubmission as error:
            if not tolerant:
                raise
            items.append(Unreadable(path, str(error)))
    return items


def _check(item, settings):
    """The verdict on one item; a failure inside rnncheck is reported, never lost in a batch."""
    if item is None:
        return check_manual(settings.seed, settings.patterns, settings.limits, settings.tolerances)
    if isinstance(item, Unreadable):
        return unchecked(item.path, settings.seed, settings.patterns, item.reason, settings.course)
    try:
        return check_source(item, settings.seed, settings.patterns, settings.limits, settings.blocked,
                            settings.tolerances, settings.course)
    except IsolationMissing:
        raise  # no submitted code may run here: the whole run stops (exit 2)
    except Exception as error:  # a bug in rnncheck: report it, keep the batch going
        import traceback
        traceback.print_exc(file=sys.stderr)
        return unchecked(item.path, settings.seed, settings.patterns, course=settings.course, reason=
                         f"rnncheck failed ({type(error).__name__}: {error}); please report this")


def _formatted(verdict, form, settings, functions, seconds):
    """One verdict in the chosen format (``functions``: the CSV columns; ``seconds``: time so far)."""
    if form == "json":
        return report.as_json(verdict)
    if form == "csv":
        from ..views import gradebook
        return gradebook.line(gradebook.row(verdict, functions, settings.weights))
    if form in AUTOGRADERS:
        from ..views import platforms
        results = (platforms.gradescope(verdict, settings.weights, seconds) if form == "gradescope"
                   else platforms.prairielearn(verdict, settings.weights))
        return json.dumps(results, indent=2, allow_nan=False)
    return report.as_text(verdict, report.use_colour(sys.stdout))  # text, and html's stdout
