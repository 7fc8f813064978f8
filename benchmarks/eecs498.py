"""Cost of checking an EECS 498 (PyTorch) file, as a ratio to a bare ``python -c "import torch"``.

The issue's target: an EECS 498 check is bounded by torch's own import.
Three real student files of ``tests/submissions/eecs498`` are checked by
the CLI, interleaved with the bare import in the same run
(``timing.process_medians``): a correct one (every function passes, one
worker), and two whose failing functions retire workers (each new worker
is forked from the fork server, which imported torch once; with
``RNNCHECK_NO_FORK_SERVER`` every worker imports torch itself).  Needs
torch (``pip install "rnncheck[torch]"``).

    python benchmarks/eecs498.py [--repeat 5]
"""
import argparse
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FILES = os.path.join(ROOT, "tests", "submissions", "eecs498")
CHECKED = (
    ("correct (9 pass)", "fa2020__Mwandia__07623f33__rnn_lstm_attention_captioning.py", {}),
    ("4 failing or erroring", "wi2022__zhongzh212__54788ff1__rnn_lstm_captioning.py", {}),
    ("partial, GPU-only (5 not passing)", "fa2020__eilonshi__97461813__rnn_lstm_attention_captioning.py", {}),
    ("the same, no fork server", "fa2020__eilonshi__97461813__rnn_lstm_attention_captioning.py",
     {"RNNCHECK_NO_FORK_SERVER": "1"}),
)


def section(repeat=5):
    from benchmarks.table import render
    from benchmarks.timing import process_medians
    runs = {"bare": ("-c", "import torch")}
    environments = {}
    for label, name, environment in CHECKED:
        runs[label] = ("-m", "rnncheck", os.path.join(FILES, name), "--seed", "0", "--quiet", "--format", "json")
        environments[label] = environment
    times = process_medians(runs, repeat, cwd=ROOT, environments=environments)
    bare_wall, bare_cpu = times["bare"]
    rows = [[label, times[label][0], times[label][0] / bare_wall, times[label][1], times[label][1] / bare_cpu]
            for label, _, _ in CHECKED]
    return render("EECS 498 (PyTorch): one check, whole process, against a bare import of torch",
                  ["file", "wall s", "wall / bare", "CPU s", "CPU / bare"], rows,
                  notes=[f"bare 'python -c \"import torch\"': {bare_wall:.2f} s wall, {bare_cpu:.2f} s CPU "
                         f"(interleaved, median of {repeat})",
                         "CPU time counts rnncheck, its fork server, oracle process and workers"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    sys.path.insert(0, ROOT)
    try:
        import torch  # noqa: F401
    except ImportError:
        sys.exit('needs torch: pip install "rnncheck[torch]"')
    print(section(options.repeat))


if __name__ == "__main__":
    main()
