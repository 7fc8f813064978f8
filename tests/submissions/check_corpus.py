"""Check the submission corpus against the autograd reference (a maintainer's script).

Run from the repository root:

    python tests/submissions/check_corpus.py            # everything
    python tests/submissions/check_corpus.py -v FILE..  # one file, per-shape detail

What it does, independently of rnncheck itself:

- ``correct/*``: every function the file defines (the 14 required ones, plus
  GRU when defined) must agree with ``reference`` to a normwise relative
  error below 1e-9, on several shapes (N, T, D, H all different; N=1; T=1).
- ``wrong/*.py``: ``correct/cs231n_loops.py`` followed by the patch is
  checked; the statuses found (tolerance 1e-7 for float64 results, 1e-4 for
  float32 results) must equal the ``# expect-*`` header lines; every
  function not named there must pass.
- ``examples/*``: the same, with the expectations written below.

Only ``import``/``from``/``def``/``class``/``try``/assignment statements of a
submission are executed (magics and shell lines of notebooks are dropped), one
statement at a time, and a statement that raises is ignored: the loader of a
student's file, in miniature. Nothing is sandboxed: run it on the corpus only.
"""
import ast
import contextlib
import copy
import io
import json
import re
import sys
import tokenize
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from rnncheck import reference  # noqa: E402

HERE = Path(__file__).resolve().parent
BASE = HERE / "correct" / "cs231n_loops.py"

REQUIRED = [
    "sigmoid",
    "rnn_step_forward", "rnn_step_backward", "rnn_forward", "rnn_backward",
    "word_embedding_forward", "word_embedding_backward",
    "lstm_step_forward", "lstm_step_backward", "lstm_forward", "lstm_backward",
    "temporal_affine_forward", "temporal_affine_backward", "temporal_softmax_loss",
]
GRU = ["gru_step_forward", "gru_step_backward", "gru_forward", "gru_backward"]

# (N, T, D, H, V, M): V is the vocabulary (embedding rows, softmax classes),
# M the temporal affine output size.
SHAPES = {
    "general": (3, 4, 5, 6, 7, 8),
    "N=1,T=1": (1, 1, 4, 3, 5, 2),
    "N=1": (1, 3, 5, 4, 6, 3),
    "T=1": (4, 1, 3, 5, 6, 7),
    "D>H": (2, 5, 6, 3, 4, 5),
}

EXAMPLES = {
    "seed_notebook.txt": {
        "error": {"lstm_forward"}, "skipped": {"lstm_backward"},
        "missing": {"word_embedding_forward", "word_embedding_backward",
                    "temporal_affine_forward", "temporal_affine_backward",
                    "temporal_softmax_loss"},
    },
    "corrected_notebook.txt": {},
    "backward_bug.py": {"fail": {"lstm_step_backward", "lstm_backward"}},
}


# ---------------------------------------------------------------- loading

def cells_of(path):
    raw = Path(path).read_bytes()
    try:  # PEP 263 (a coding declaration or a BOM), else the GB18030 rnncheck falls back on
        text = raw.decode(tokenize.detect_encoding(io.BytesIO(raw).readline)[0])
    except (SyntaxError, UnicodeDecodeError):
        text = raw.decode("gb18030")
    if path.suffix == ".ipynb":
        nb = json.loads(text)
        return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                for c in nb["cells"] if c["cell_type"] == "code"]
    if re.search(r"^In \[[^\]]*\]:", text, re.M):
        return re.split(r"^In \[[^\]]*\]:[^\n]*\n", text, flags=re.M)
    return [text]


KEEP = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef, ast.Try,
        ast.Assign, ast.AnnAssign)


def load(*paths):
    namespace = {"__name__": "submission"}
    for path in paths:
        for cell in cells_of(Path(path)):
            lines = [ln for ln in cell.splitlines() if not ln.lstrip().startswith(("%", "!"))]
            try:
                tree = ast.parse("\n".join(lines))
            except SyntaxError:
                continue
            for node in tree.body:
                if not isinstance(node, KEEP):
                    continue
                code = compile(ast.Module([node], []), str(path), "exec")
                try:
                    with contextlib.redirect_stdout(io.StringIO()):
                        exec(code, namespace)
                except Exception:
                    pass
    return namespace


# ---------------------------------------------------------------- cases

def make_inputs(shape, seed):
    N, T, D, H, V, M = shape
    rng = np.random.default_rng(seed)
    r = rng.standard_normal
    mask = rng.random((N, T)) < 0.7
    mask.flat[0] = True
    if N * T > 1:
        mask.flat[-1] = False
    return {
        "sigmoid": (np.concatenate([r(N * T * H) * 4, [-800.0, -30.0, 0.0, 30.0, 800.0]]),),
        "rnn_step": ((r((N, D)), r((N, H)), r((D, H)) * 0.5, r((H, H)) * 0.5, r(H) * 0.5),
                     (r((N, H)),)),
        "rnn": ((r((N, T, D)), r((N, H)), r((D, H)) * 0.5, r((H, H)) * 0.5, r(H) * 0.5),
                (r((N, T, H)),)),
        "word_embedding": ((rng.integers(0, V, size=(N, T)), r((V, D))), (r((N, T, D)),)),
        "lstm_step": ((r((N, D)), r((N, H)), r((N, H)), r((D, 4 * H)) * 0.5,
                       r((H, 4 * H)) * 0.5, r(4 * H) * 0.5),
                      (r((N, H)), r((N, H)))),
        "lstm": ((r((N, T, D)), r((N, H)), r((D, 4 * H)) * 0.5, r((H, 4 * H)) * 0.5,
                  r(4 * H) * 0.5), (r((N, T, H)),)),
        "gru_step": ((r((N, D)), r((N, H)), r((D, 3 * H)) * 0.5, r((H, 3 * H)) * 0.5,
                      r(3 * H) * 0.5), (r((N, H)),)),
        "gru": ((r((N, T, D)), r((N, H)), r((D, 3 * H)) * 0.5, r((H, 3 * H)) * 0.5,
                 r(3 * H) * 0.5), (r((N, T, H)),)),
        "temporal_affine": ((r((N, T, D)), r((D, M)), r(M)), (r((N, T, M)),)),
        "softmax": (r((N, T, V)), rng.integers(0, V, size=(N, T)), mask),
        # a large common offset per position: exp overflows (or underflows to
        # 0/0) unless the max is subtracted; the spread stays small, because
        # the official formulation (log of probs) itself gives -inf once the
        # true class's probability underflows (logit gaps beyond ~745).
        "softmax_large": (r((N, T, V)) * 3.0 + np.where(rng.random((N, T, 1)) < 0.5, -800.0, 800.0),
                          rng.integers(0, V, size=(N, T)), mask),
    }


# forward name -> (layer key, number of outputs before the cache)
PAIRS = {
    "rnn_step": 1, "rnn": 1, "word_embedding": 1, "lstm_step": 2, "lstm": 1,
    "gru_step": 1, "gru": 1, "temporal_affine": 1,
}


class Missing(Exception):
    pass


def call(fn, args):
    """Call a student function on private copies; report in-place edits."""
    copies = copy.deepcopy(args)
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("always")
        try:
            out = fn(*copies)
        except NotImplementedError as exc:
            raise Missing(str(exc)) from exc
    if out is None or (isinstance(out, (tuple, list)) and all(o is None for o in out)):
        raise Missing("returns None")
    mutated = [i for i, (a, c) in enumerate(zip(args, copies))
               if isinstance(a, np.ndarray) and not np.array_equal(a, c, equal_nan=True)]
    notes = ["modifies argument %d in place" % i for i in mutated]
    notes += sorted({"%s: %s" % (w.category.__name__, w.message) for w in caught})
    return out, notes


def compare(got, want):
    """Normwise relative error, or a string saying why it cannot be computed."""
    try:
        got = np.asarray(got)
    except Exception:
        return "not an array"
    want = np.asarray(want, dtype=np.float64)
    if got.shape != want.shape:
        return "shape %s, expected %s" % (got.shape, want.shape)
    if not np.issubdtype(got.dtype, np.number):
        return "dtype %s" % got.dtype
    if not np.all(np.isfinite(got)):
        return "non-finite values"
    scale = max(np.max(np.abs(want)), 1e-300) if want.size else 1.0
    return float(np.max(np.abs(got.astype(np.float64) - want)) / scale) if want.size else 0.0


def tolerance(got):
    try:
        return 1e-4 if np.asarray(got).dtype == np.float32 else 1e-7
    except Exception:
        return 1e-7


def judge(pairs, strict):
    """pairs: [(name, got, want)] -> ('pass'|'fail', worst error, detail)."""
    worst, detail = 0.0, []
    for name, got, want in pairs:
        err = compare(got, want)
        if isinstance(err, str):
            return "fail", float("inf"), "%s: %s" % (name, err)
        limit = 1e-9 if strict else tolerance(got)
        worst = max(worst, err)
        if err > limit:
            detail.append("%s rel %.1e" % (name, err))
    return ("fail" if detail else "pass"), worst, ", ".join(detail)


def check_shape(ns, shape, seed, strict, names):
    """Status of every function in names on one shape: {name: (status, note)}."""
    data = make_inputs(shape, seed)
    result = {}

    def record(name, status, note=""):
        result[name] = (status, note)

    if "sigmoid" in names:
        run_one(ns, "sigmoid", record, strict,
                lambda fn: call(fn, data["sigmoid"]),
                lambda out: [("out", out, reference.sigmoid(data["sigmoid"][0]))])

    for layer, n_out in PAIRS.items():
        fwd_name, bwd_name = layer + "_forward", layer + "_backward"
        if fwd_name not in names and bwd_name not in names:
            continue
        inputs, upstream = data[layer]
        ref_fwd, ref_bwd = getattr(reference, fwd_name), getattr(reference, bwd_name)
        ref_out = ref_fwd(*inputs)
        ref_grads = ref_bwd(*upstream, ref_out[-1])
        ref_grads = ref_grads if isinstance(ref_grads, tuple) else (ref_grads,)
        ref_outs = ref_out[:-1]
        holder = {}

        def forward(fn):
            out, notes = call(fn, inputs)
            out = list(out)
            if len(out) != n_out + 1:
                raise ValueError("returned %d values, expected %d" % (len(out), n_out + 1))
            holder["cache"] = out[-1]
            return out, notes

        # the forward always runs: its cache is what the backward needs
        run_one(ns, fwd_name, record if fwd_name in names else (lambda *a: None), strict,
                forward, lambda out: [("out%d" % k, out[k], ref_outs[k]) for k in range(n_out)])
        if bwd_name in names:
            if "cache" not in holder and callable(ns.get(bwd_name)):
                record(bwd_name, "skipped", "forward gave no cache")
                continue

            def backward(fn):
                out, notes = call(fn, upstream + (holder["cache"],))
                if n_out == 1 and layer == "word_embedding" and isinstance(out, np.ndarray):
                    out = (out,)
                return list(out), notes

            run_one(ns, bwd_name, record, strict, backward,
                    lambda out: [("grad%d" % k, out[k] if k < len(out) else None, ref_grads[k])
                                 for k in range(len(ref_grads))]
                    if len(out) == len(ref_grads) else [("grads", "count %d" % len(out), 0)])

    if "temporal_softmax_loss" in names:
        for key in ("softmax", "softmax_large"):
            x, y, mask = data[key]
            ref_loss, ref_dx = reference.temporal_softmax_loss(x, y, mask)
            run_one(ns, "temporal_softmax_loss", record, strict,
                    lambda fn: call(fn, (x, y, mask)),
                    lambda out: [("loss", out[0], ref_loss), ("dx", out[1], ref_dx)],
                    suffix=" (large logits)" if key == "softmax_large" else "")
            if result["temporal_softmax_loss"][0] != "pass":
                break
    return result


def run_one(ns, name, record, strict, invoke, pairs_of, suffix=""):
    fn = ns.get(name)
    if not callable(fn):
        return record(name, "missing", "not defined")
    try:
        out, notes = invoke(fn)
    except Missing as exc:
        return record(name, "missing", str(exc))
    except Exception as exc:
        return record(name, "error", "%s: %s%s" % (type(exc).__name__, exc, suffix))
    try:
        status, worst, detail = judge(pairs_of(out), strict)
    except Exception as exc:
        return record(name, "fail", "cannot compare: %s" % exc)
    note = "; ".join(filter(None, [detail + suffix if detail else "", *notes]))
    record(name, status, note or "max rel %.1e" % worst)


ORDER = ["error", "fail", "skipped", "missing", "pass"]


def check(ns, strict, names, verbose=False):
    """Aggregate over shapes: {name: status}, and per-shape detail."""
    per_shape = {label: check_shape(ns, shape, seed, strict, names)
                 for seed, (label, shape) in enumerate(SHAPES.items())}
    overall = {}
    for name in names:
        statuses = [per_shape[label][name][0] for label in SHAPES]
        overall[name] = min(statuses, key=ORDER.index)
    if verbose:
        for name in names:
            row = ["%s=%s" % (label, per_shape[label][name][0]) for label in SHAPES]
            print("    %-26s %-8s %s" % (name, overall[name], " ".join(row)))
            notes = {per_shape[label][name][1] for label in SHAPES} - {""}
            for note in sorted(notes):
                if not note.startswith("max rel"):
                    print("        " + note)
    return overall, per_shape


def expectations(path):
    expected = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        m = re.match(r"#\s*expect-(fail|error|skipped|missing):\s*(.*)", line)
        if m:
            expected[m.group(1)] = set(m.group(2).split())
    return expected


def compare_expected(overall, expected):
    found = {}
    for name, status in overall.items():
        if status != "pass":
            found.setdefault(status, set()).add(name)
    expected = {k: v for k, v in expected.items() if v}
    return found == expected, found


def main(argv):
    verbose = "-v" in argv
    targets = [Path(a) for a in argv if a != "-v"]
    if not targets:
        targets = (sorted((HERE / "correct").iterdir()) + sorted((HERE / "wrong").glob("*.py"))
                   + sorted(p for p in (ROOT / "examples").iterdir() if p.name in EXAMPLES))
    ok = True
    for path in targets:
        path = path.resolve()
        if path.parent.name == "correct":
            ns = load(path)
            names = REQUIRED + [g for g in GRU if g in ns]
            overall, _ = check(ns, True, names, verbose)
            bad = {n: s for n, s in overall.items() if s != "pass"}
            good = not bad
            print("%-4s correct/%s%s" % ("ok" if good else "BAD", path.name,
                                        "" if good else "  " + str(bad)))
        else:
            if path.parent.name == "wrong":
                ns = load(BASE, path)
                expected = expectations(path)
                names = REQUIRED + GRU
            else:
                ns = load(path)
                expected = EXAMPLES.get(path.name, expectations(path))
                names = REQUIRED + [g for g in GRU if g in ns]
            overall, _ = check(ns, False, names, verbose)
            good, found = compare_expected(overall, expected)
            print("%-4s %s/%s  found %s" % ("ok" if good else "BAD", path.parent.name, path.name,
                                           {k: sorted(v) for k, v in sorted(found.items())}))
        ok &= good
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
