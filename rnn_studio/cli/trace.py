"""``rnn-studio trace FILE``: the forward pass (and with --grad the gradients) in a format."""

from __future__ import annotations

import argparse
import sys

from ..core import backprop
from ..io import dump_json
from ..report import render, step_json, step_lines
from .common import (
    EXIT_OK,
    PROG,
    UsageError,
    check_precision,
    emit,
    load,
    step_in_range,
    target_columns,
)


def run(ns: argparse.Namespace) -> int:
    check_precision(ns.precision)
    targets = target_columns(ns)
    if ns.step is not None and ns.format not in ("text", "json"):
        raise UsageError("--step writes one step's arithmetic: use it with --format text or json")
    doc = load(ns.file, targets)
    trace = doc.trace()
    if ns.step is not None:
        step_in_range(ns.step, ns.file, trace.T)
    grads = backprop(trace) if ns.grad else None
    if ns.step is None:
        out = render(ns.format, doc, trace, grads, ns.precision)
    elif ns.format == "json":
        out = dump_json(step_json(doc, trace, grads, ns.step, ns.precision))
    else:
        out = "\n".join(step_lines(doc, trace, grads, ns.step, ns.precision))
    emit(out)
    if not trace.finite:
        print(
            f"{PROG}: warning: the forward pass overflowed at step {trace.first_nonfinite_step}; "
            f"values there are not finite",
            file=sys.stderr,
        )
    return EXIT_OK
