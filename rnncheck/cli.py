"""Command line: ``rnncheck [PATH ...]``; exit 0 passed, 1 not passed, 2 usage error."""
import argparse
import fnmatch
import os
import secrets
import sys

from . import __version__, report
from .catalogue import FUNCTIONS
from .loader import UnreadableSubmission, load
from .sandbox import BLOCKED, IsolationMissing, Limits
from .verify import check_manual, check_source

SUFFIXES = (".py", ".ipynb", ".txt")


def _size(text):
    """Bytes from '2G', '512M', '64K' or a plain number."""
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    text = text.strip().upper().removesuffix("B")
    if text and text[-1] in units:
        return int(float(text[:-1]) * units[text[-1]])
    return int(text)


def parser():
    defaults = Limits()
    p = argparse.ArgumentParser(
        prog="rnncheck",
        description="Check hand-derived RNN/LSTM/GRU layers (CS231n style) against an "
                    "autograd reference. With no PATH, checks the bundled manual/ implementation.")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help=".py, .ipynb or exported notebook text; a folder means its files")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="json prints one verdict object per line (DESIGN.md contract)")
    p.add_argument("--functions", action="append", metavar="GLOB",
                   help="check only these functions (comma-separated globs; they become required)")
    p.add_argument("--seed", type=int, help="seed of the generated cases (default: random, printed)")
    p.add_argument("--timeout", type=float, default=defaults.call_seconds, metavar="S",
                   help=f"time limit per call, seconds (default {defaults.call_seconds:g})")
    p.add_argument("--load-timeout", type=float, default=defaults.load_seconds, metavar="S",
                   help=f"time limit per top-level statement when loading (default {defaults.load_seconds:g})")
    p.add_argument("--memory", type=_size, default=defaults.memory_bytes, metavar="SIZE",
                   help="address-space cap of the worker, e.g. 2G (default 2G)")
    p.add_argument("--max-output", type=_size, default=defaults.output_bytes, metavar="SIZE",
                   help="printed output kept per submission (default 64K; the rest is discarded)")
    p.add_argument("--allow-import", action="append", default=[], metavar="NAME",
                   help=f"let submissions import NAME (blocked: {', '.join(BLOCKED)})")
    p.add_argument("--require-isolation", action="store_true",
                   help="refuse to run submitted code unless the worker is fully confined (files, network, "
                        "signals, processes; see SECURITY.md): exit 2 saying what is missing")
    p.add_argument("--version", action="version", version=f"rnncheck {__version__}")
    return p


def candidates(paths):
    """Files to check; a folder contributes its .py, .ipynb and .txt files."""
    found = []
    for path in paths:
        if os.path.isdir(path):
            inside = sorted(os.path.join(path, n) for n in os.listdir(path)
                            if n.endswith(SUFFIXES) and not n.startswith("."))
            if not inside:
                raise UnreadableSubmission(f"{path} holds no .py, .ipynb or .txt file to check")
            found += inside
        elif os.path.exists(path):
            found.append(path)
        else:
            raise UnreadableSubmission(f"{path}: no such file or folder")
    return found


def main(argv=None):
    options = parser().parse_args(argv)
    seed = options.seed if options.seed is not None else secrets.randbelow(2 ** 31)
    patterns = [g.strip() for group in options.functions or [] for g in group.split(",") if g.strip()]
    unknown = [p for p in patterns if not fnmatch.filter(FUNCTIONS, p)]
    if unknown:
        print(f"rnncheck: error: --functions {', '.join(unknown)} matches no catalogue function "
              f"(known: {', '.join(FUNCTIONS)})", file=sys.stderr)
        return 2
    limits = Limits(call_seconds=options.timeout, load_seconds=options.load_timeout,
                    memory_bytes=options.memory, output_bytes=options.max_output,
                    require_isolation=options.require_isolation)
    blocked = tuple(b for b in BLOCKED if b not in options.allow_import)
    try:
        sources = [load(path) for path in candidates(options.paths)]
    except UnreadableSubmission as error:
        print(f"rnncheck: error: {error}", file=sys.stderr)
        return 2
    if options.paths:
        verdicts = (check_source(s, seed, patterns, limits, blocked) for s in sources)
    else:
        verdicts = (check_manual(seed, patterns, limits) for _ in (1,))  # checked inside the try below
    passed = True
    try:
        for verdict in verdicts:
            passed &= verdict["passed"]
            if options.format == "json":
                print(report.as_json(verdict), flush=True)
            else:
                print(report.as_text(verdict, report.use_colour(sys.stdout)), flush=True)
    except IsolationMissing as missing:
        print(f"rnncheck: error: --require-isolation: submitted code would run without: {missing}",
              file=sys.stderr)
        return 2
    return 0 if passed else 1


def entry():
    sys.exit(main())
