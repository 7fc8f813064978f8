"""The header of every benchmark run: machine, Python, NumPy, BLAS, autograd."""
import os
import platform
import sys
from importlib.metadata import PackageNotFoundError, version

import numpy as np


def _version(package):
    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


def blas():
    """BLAS library, version and threads, from threadpoolctl when it is installed."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "unknown (install threadpoolctl to see it)"
    pools = [p for p in threadpool_info() if p.get("user_api") == "blas"]
    return "; ".join(f"{p['internal_api']} {p.get('version')} ({p.get('architecture')}), threads: {p['num_threads']}"
                     for p in pools) or "none found"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as info:
            return next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        return platform.processor() or "unknown"


def describe(options):
    load = " (load average {:.1f} {:.1f} {:.1f})".format(*os.getloadavg()) if hasattr(os, "getloadavg") else ""
    return "\n".join([
        "rnncheck benchmarks: python benchmarks/run.py " + " ".join(sys.argv[1:]),
        f"machine: {cpu_model()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}{load}",
        f"Python {platform.python_version()}, NumPy {np.__version__}, autograd {_version('autograd')}, "
        f"torch {_version('torch')}",
        f"BLAS: {blas()}",
        f"clock: {options.clock} time of this process for in-process figures, wall time for whole processes; "
        f"medians of interleaved runs",
        "",
    ])
