"""Numerical gradients named: a backward that was never derived.

The homework is the derivation.  A backward that differentiates the
submission's own forward numerically (central or one-sided differences,
complex steps) returns gradients close enough to pass.  Two pieces of
evidence, gathered on every case and judged here, in the parent, give it
away:

- **Accuracy.**  An analytic float64 backward agrees with the reference to
  rounding: over 30 seeds the worst case of every correct solution in
  ``tests/submissions/correct`` is 4.1e-15.  Finite differences cannot:
  central differences stay above 4e-12 (the least, over 30 seeds, on a
  linear layer; 1e-10 on the recurrent ones), one-sided ones near 1e-7.  A
  backward that passes while its float64 gradients are off by more than
  ``ACCURACY`` on some case is named.  Gradients returned in float32 are
  left out: they have their own warning and their own tolerance.
- **Calls.**  The worker counts the calls the backward makes to the
  submission's catalogue forwards (``rnncheck.worker.calls``).  A numerical
  gradient runs a forward at least once per input value it differentiates
  (complex steps too: they are exact, so only this shows them); a
  derivation needs none, or a few per time step to recompute its gates.  A
  backward that, on every case, made at least ``CALLS_PER_VALUE`` forward
  calls per input value is named.

``benchmarks/numeric_gradients.py`` measures both statistics over seeds.
The finding is a warning; with ``strict`` (``--strict``, or ``strict =
true`` in ``[tool.rnncheck]``) a backward that would pass fails instead.
"""
import numpy as np

from .. import courses

ACCURACY = 1e-13  # 24x the worst correct solution, 1/40 of the most accurate finite differences
CALLS_PER_VALUE = 0.5  # a numerical gradient makes >= 1; the heaviest derivation < 0.05 on some case


def counted(layer):
    """The forwards the worker counts during ``layer``'s backward: every forward of its course."""
    return [other.forward for other in courses.load(layer.course).layers]


def case_evidence(layer, header, values, judgements, reference):
    """What one answered case of a backward shows: ``{"error", "calls", "values"}``.

    - error: the worst relative error of its float64 gradients (None when none was float64 and comparable);
    - calls: ``{forward: n}``, the calls the worker counted during the backward;
    - values: how many input values the gradients are taken with respect to.
    """
    errors = [judgement.error for judgement, meta in zip(judgements, header["outputs"])
              if judgement.error is not None and "index" in meta and _float64(values[meta["index"]])]
    counted = sum(np.size(value) for spec, value in zip(layer.inputs, reference.inputs)
                  if spec.name in layer.differentiable)
    return {"error": max(errors, default=None), "calls": dict(header.get("forward_calls") or {}),
            "values": int(counted)}


def judge(result, evidence, strict=False):
    """Name a numerical gradient in ``result``, a backward's verdict, from its cases' ``evidence``.

    ``evidence``: one ``case_evidence`` per case, None for a case without
    an answer.  Adds a warning and ``numeric_gradient`` (what was seen), or,
    with ``strict``, turns a ``pass`` into a ``fail``.  Returns ``result``.
    """
    answered = [e for e in evidence if e is not None]
    found = {}
    errors = [e["error"] for e in answered if e["error"] is not None]
    if result["status"] == "pass" and errors and max(errors) > ACCURACY:
        found["error"] = max(errors)
    if answered and all(e["values"] and sum(e["calls"].values()) >= CALLS_PER_VALUE * e["values"]
                        for e in answered):
        first = answered[0]
        found.update(calls=sum(first["calls"].values()), values=first["values"], forwards=sorted(first["calls"]))
    if not found:
        return result
    result["numeric_gradient"] = found
    if strict and result["status"] == "pass":
        result["status"] = "fail"
        result["message"] = f"not derived: {sentence(found)} (strict: a numerical gradient fails); {result['message']}"
    else:
        result["warnings"].append(sentence(found))
    return result


def sentence(found):
    """What was seen, as the student reads it."""
    seen = []
    if "error" in found:
        seen.append(f"agrees with the reference only to {found['error']:.1g}, while an analytic float64 "
                    f"backward agrees to ~1e-15")
    if "calls" in found:
        seen.append(f"one backward call ran {' and '.join(found['forwards'])} {found['calls']} times for "
                    f"{found['values']} input values (a derivation needs a few forward calls per time step "
                    "at most)")
    guess = "a numerical gradient (differences of a forward), not a derived backward"
    if "calls" not in found:
        guess += ", or arithmetic in a lower precision"
    return f"{'; '.join(seen)}: this looks like {guess}"


def _float64(array):
    return array.dtype.kind == "f" and array.dtype.itemsize >= 8
