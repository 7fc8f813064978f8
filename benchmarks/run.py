"""rnncheck's benchmark suite: every table of docs/benchmarks.md in one run.

    python benchmarks/run.py [--quick] [--sections verifier,oracle,manual] [--blas-threads 1] [--clock cpu]

Prints the machine, Python, NumPy and BLAS versions, then one table per
section. Every figure is a median of several runs, and every comparison is
measured side by side in the same run (interleaved), as a ratio. The whole
run takes about three minutes on a 2-core machine (--quick: about half).
rnncheck's modules are byte-compiled first, as ``pip install`` leaves them.
"""
import argparse
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", default=",".join(SECTIONS), help=f"comma-separated, of: {', '.join(SECTIONS)}")
    parser.add_argument("--quick", action="store_true", help="fewer repeats (noisier medians)")
    parser.add_argument("--blas-threads", type=int, default=1,
                        help="BLAS threads of this process (default 1, as in the worker; the machine is shared)")
    parser.add_argument("--clock", choices=("cpu", "wall"), default="cpu",
                        help="clock of in-process figures (default cpu: this process's CPU time)")
    return parser.parse_args(argv)


# Each section: name -> "module:function" of benchmarks/, called with (budget, threads) and returning a table.
SECTIONS = {
    "verifier": "verifier",
    "batch": "batch",
    "confinement": "confinement",
    "oracle": "oracle",
    "manual": "manual_layers",
}


def main(argv=None):
    options = parse(argv)
    threads = str(options.blas_threads)
    user_environment = dict(os.environ)  # whole processes run as users run them (benchmarks/timing.py)
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[variable] = threads  # before NumPy is imported; subprocesses inherit it
    sys.path.insert(0, ROOT)
    import compileall
    import importlib

    # As pip does when it installs rnncheck: without bytecode, the fork server (python -I -B, which writes
    # none) would compile the worker's modules from source every time it starts.
    for package in ("rnncheck", "reference", "manual"):
        compileall.compile_dir(os.path.join(ROOT, package), quiet=1)

    from benchmarks import environment, timing
    timing.settings["clock"] = options.clock
    timing.settings["user_environment"] = user_environment
    os.chdir(ROOT)
    print(environment.describe(options), flush=True)
    for name in options.sections.split(","):
        module = importlib.import_module(f"benchmarks.{SECTIONS[name.strip()]}")
        print(module.section(budget=0.5 if options.quick else 1.0, threads=options.blas_threads), flush=True)


if __name__ == "__main__":
    main()
