"""The command line (spec/cli.md): ``rnn-studio [FILE]``, ``trace``, ``example``, ``train``.

Nothing here imports Qt: the window is imported only when it is asked for, so
``rnn-studio trace`` works on a machine without a display. A bad file never gives a
traceback: it becomes exit status 3 and one line on stderr.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import math
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

import numpy as np

from . import __version__
from .core import Gradients, Trace, backprop
from .document import Document
from .errors import DocumentError
from .examples import EXAMPLES
from .explain import GATE_TITLES, explain_step, fmt, sub
from .io import dump_json, dumps_project, is_csv, read_path, write_project

PROG = "rnn-studio"
COMMANDS = ("trace", "example", "train")
FORMATS = ("text", "json", "csv", "markdown", "latex")
EXIT_OK, EXIT_USAGE, EXIT_BAD_FILE = 0, 2, 3
CELL_TITLES = {"rnn": "basic RNN", "lstm": "LSTM", "gru": "GRU"}


class UsageError(Exception):
    """Bad usage found after argparse (exit status 2)."""


# -- entry point ------------------------------------------------------------------------
def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    _utf8_streams()
    if not args or (args[0] not in COMMANDS and not args[0].startswith("-")):
        if len(args) > 1:
            print(
                f"usage: {PROG} [FILE] | {PROG} {{trace,example,train}} ...\n"
                f"{PROG}: error: the window opens one file; found {len(args)} arguments",
                file=sys.stderr,
            )
            return EXIT_USAGE
        return _open_window(args[0] if args else None)
    parser = build_parser()
    try:
        ns = parser.parse_args(args)
    except SystemExit as stop:  # argparse: 2 on bad usage, 0 after --help or --version
        return stop.code if isinstance(stop.code, int) else EXIT_USAGE
    if ns.command is None:
        parser.print_usage(sys.stderr)
        return EXIT_USAGE
    return _guarded(ns.command, lambda: ns.run(ns))


def _guarded(command: str, body: Callable[[], int]) -> int:
    """Run a command body; bad files and failed writes become one line and status 3."""
    try:
        return body()
    except UsageError as err:
        print(f"{PROG} {command}: {err}", file=sys.stderr)
        return EXIT_USAGE
    except DocumentError as err:
        print(f"{PROG}: {_one_line(str(err))}", file=sys.stderr)
        return EXIT_BAD_FILE
    except BrokenPipeError:  # e.g. piped into `head`: not an error of ours
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        return EXIT_OK
    except OSError as err:
        name = getattr(err, "filename", None)
        where = f"{name}: " if name else ""
        print(f"{PROG}: {where}{err.strerror or err}", file=sys.stderr)
        return EXIT_BAD_FILE
    except KeyboardInterrupt:
        return 130


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _utf8_streams() -> None:
    """Print ŷ, s₁ and · even where the console's default encoding cannot."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            with contextlib.suppress(Exception):
                stream.reconfigure(encoding="utf-8", errors="replace")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        usage=f"{PROG} [FILE] | {PROG} {{trace,example,train}} ...",
        description="Watch a recurrent neural network compute, step by step. "
        "With no command, opens the window on FILE (a project or a CSV table) "
        "or on the lecture's example.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    # prog=PROG keeps a subcommand's messages short: "rnn-studio trace: error: …"
    commands = parser.add_subparsers(dest="command", metavar="{trace,example,train}", prog=PROG)

    trace = commands.add_parser(
        "trace",
        help="print the forward trace of FILE (and with --grad its gradients)",
        description="Print the forward pass of FILE step by step: the pre-activation, "
        "the gates (lstm, gru), the state, the output and the error; then the loss.",
    )
    trace.add_argument("file", metavar="FILE", help="a project file (.rnn.json) or a CSV table")
    trace.add_argument("--format", choices=FORMATS, default="text", help="default: text")
    trace.add_argument(
        "--step",
        type=int,
        metavar="T",
        help="print step T's arithmetic written out with its numbers (0 = initial state)",
    )
    trace.add_argument("--grad", action="store_true", help="add the gradients (BPTT)")
    trace.add_argument(
        "--precision",
        type=int,
        default=4,
        metavar="N",
        help="decimals in text formats (default 4, as the lecture; JSON is always exact)",
    )
    trace.add_argument(
        "--targets",
        metavar="NAME[,NAME]",
        help="for a CSV table: the target columns (default: the last column)",
    )
    trace.set_defaults(run=_cmd_trace)

    example = commands.add_parser(
        "example",
        help="write one of the shipped examples",
        description="Write one of the shipped examples as a project file.",
    )
    example.add_argument("name", metavar="NAME", nargs="?", help="the example's name")
    example.add_argument(
        "-o", "--output", metavar="OUT", help="the file to write (default: stdout)"
    )
    example.add_argument("--list", action="store_true", help="list the examples")
    example.set_defaults(run=_cmd_example)

    train = commands.add_parser(
        "train",
        help="(not yet available: arrives with the learning release) train headless",
        description="Train FILE's model headless and write the trained project to OUT.",
    )
    train.add_argument("file", metavar="FILE")
    train.add_argument("--epochs", type=int, metavar="N")
    train.add_argument("--lr", type=float, metavar="X")
    train.add_argument("--optimizer", choices=("sgd", "momentum", "adam"))
    train.add_argument("--seed", type=int, metavar="S")
    train.add_argument("-o", "--output", metavar="OUT", required=True)
    train.set_defaults(run=_cmd_train)
    return parser


# -- the window ---------------------------------------------------------------------------
def _open_window(path: str | None) -> int:
    try:
        from rnn_studio.app import main as gui_main
    except ModuleNotFoundError as err:
        if err.name != "rnn_studio.app":
            print(f"{PROG}: the window cannot start: {err}", file=sys.stderr)
            return 1
        # The window is not part of this build yet: show the trace it would show.
        print(f"{PROG}: the window is not available yet; printing the trace", file=sys.stderr)
        return _guarded("", lambda: _print_fallback_trace(path))
    return gui_main(path)


def _print_fallback_trace(path: str | None) -> int:
    from .examples import lecture

    doc = lecture() if path is None else _load(path, None)
    print(render_text(doc, doc.trace(), None, 4))
    return EXIT_OK


# -- example / train ------------------------------------------------------------------------
def _cmd_example(ns: argparse.Namespace) -> int:
    if ns.list:
        width = max(len(name) for name in EXAMPLES)
        for name, (description, _) in EXAMPLES.items():
            print(f"{name:<{width}}  {description}")
        return EXIT_OK
    if not ns.name:
        raise UsageError(f"name an example (one of: {', '.join(EXAMPLES)}) or use --list")
    if ns.name not in EXAMPLES:
        raise UsageError(f"no example named {ns.name!r}; choose from: {', '.join(EXAMPLES)}")
    doc = EXAMPLES[ns.name][1]()
    if ns.output:
        write_project(doc, ns.output)
        print(f"wrote {ns.output}", file=sys.stderr)
    else:
        sys.stdout.write(dumps_project(doc))
    return EXIT_OK


def _cmd_train(ns: argparse.Namespace) -> int:
    raise UsageError(
        "training arrives with the learning release; this version traces a model "
        f"({PROG} trace FILE --grad) but does not train it yet"
    )


# -- trace ------------------------------------------------------------------------------------
def _load(path: str, targets: list[str] | None) -> Document:
    doc = read_path(path, targets)
    if is_csv(path):
        print(
            f"no model in {path}: using a basic RNN (tanh, h = {doc.hidden_size}, identity "
            f"readout, s₀ = 0, weights uniform in ±1/√h, seed 0)",
            file=sys.stderr,
        )
    return doc


def _cmd_trace(ns: argparse.Namespace) -> int:
    if not 0 <= ns.precision <= 15:
        raise UsageError(f"--precision must be between 0 and 15, found {ns.precision}")
    targets = None
    if ns.targets is not None:
        targets = [t.strip() for t in ns.targets.split(",")]
        if not all(targets):
            raise UsageError(f"--targets needs column names separated by commas: {ns.targets!r}")
        if not is_csv(ns.file):
            raise UsageError("--targets applies to a CSV table only; a project names its targets")
    if ns.step is not None and ns.format not in ("text", "json"):
        raise UsageError("--step writes one step's arithmetic: use it with --format text or json")
    doc = _load(ns.file, targets)
    trace = doc.trace()
    if ns.step is not None and not 0 <= ns.step <= trace.T:
        raise UsageError(
            f"--step {ns.step} is outside 0..{trace.T} ({ns.file} has {trace.T} timestep"
            f"{'s' if trace.T != 1 else ''}; 0 shows the initial state)"
        )
    grads = backprop(trace) if ns.grad else None
    if ns.format == "json":
        obj = trace_json(doc, trace, grads)
        if ns.step is not None:
            obj = step_json(doc, trace, grads, ns.step, ns.precision)
        out = dump_json(obj)
    elif ns.step is not None:
        out = "\n".join(step_lines(doc, trace, grads, ns.step, ns.precision))
    else:
        render = {
            "text": render_text,
            "csv": render_csv,
            "markdown": render_markdown,
            "latex": render_latex,
        }[ns.format]
        out = render(doc, trace, grads, ns.precision)
    sys.stdout.write(out if out.endswith("\n") else out + "\n")
    sys.stdout.flush()
    if not trace.finite:
        print(
            f"{PROG}: warning: the forward pass overflowed at step {trace.first_nonfinite_step}; "
            f"values there are not finite",
            file=sys.stderr,
        )
    return EXIT_OK


# -- JSON -----------------------------------------------------------------------------------------
class _Finite:
    """Turns arrays into nested lists of floats, non-finite values into None, noting where."""

    def __init__(self) -> None:
        self.bad: dict[str, int | None] = {}

    def __call__(self, value: Any, key: str, t: int | None = None, blank: Any = None) -> Any:
        a = np.asarray(value, dtype=np.float64)
        blank_mask = np.zeros(a.shape, bool) if blank is None else np.asarray(blank, bool)
        bad = ~np.isfinite(a) & ~blank_mask
        if bad.any() and key not in self.bad:
            self.bad[key] = t
        return _nested(a, blank_mask)

    def warnings(self) -> list[str]:
        return [
            f"{key}: not finite (overflow)"
            + (f" from step {t}" if t is not None else "")
            + "; written as null"
            for key, t in self.bad.items()
        ]


def _nested(a: np.ndarray, blank: np.ndarray) -> Any:
    if a.ndim == 0:
        v = float(a)
        return None if (bool(blank) or not math.isfinite(v)) else v
    return [_nested(row, b) for row, b in zip(a, blank, strict=True)]


def _step_obj(doc: Document, trace: Trace, t: int, clean: _Finite) -> dict[str, Any]:
    """One step of ``trace --format json`` (t = 1..T), keys in spec/cli.md's order."""
    i = t - 1
    step: dict[str, Any] = {"t": t}
    if doc.cell == "rnn":
        step["z"] = clean(trace.pre["z"][i], "z", t)
    else:
        step["gates"] = {g: clean(trace.gates[g][i], f"gates.{g}", t) for g in _gates(doc)}
        if doc.cell == "lstm":
            step["cell"] = clean(trace.cells[t], "cell", t)
    step["state"] = clean(trace.states[t], "state", t)
    step["output"] = clean(trace.outputs[i], "output", t)
    no_target = ~trace.mask[i]
    step["target"] = clean(trace.targets[i], "target", t, blank=no_target)
    step["error"] = clean(trace.errors[i], "error", t, blank=no_target)
    return step


def _gates(doc: Document) -> tuple[str, ...]:
    return {"rnn": (), "lstm": ("i", "f", "g", "o"), "gru": ("r", "z", "n")}[doc.cell]


def _gradients_obj(doc: Document, grads: Gradients, clean: _Finite) -> dict[str, Any]:
    names = [ps.name for ps in doc.param_specs()] + ["initial_state"]
    if doc.cell == "lstm":
        names.append("initial_cell")
    return {name: clean(grads.totals[name], f"gradients.{name}") for name in names}


def trace_json(doc: Document, trace: Trace, grads: Gradients | None) -> dict[str, Any]:
    """The object ``trace --format json`` prints (spec/cli.md), full precision, valid JSON."""
    clean = _Finite()
    obj: dict[str, Any] = {
        "cell": doc.cell,
        "T": trace.T,
        "d": doc.d,
        "h": doc.hidden_size,
        "k": doc.k,
        "steps": [_step_obj(doc, trace, t, clean) for t in range(1, trace.T + 1)],
        "loss": None if trace.loss is None else clean(trace.loss, "loss"),
    }
    if grads is not None:
        obj["gradients"] = _gradients_obj(doc, grads, clean)
    if clean.bad:
        obj["warnings"] = clean.warnings()
    return obj


def step_json(
    doc: Document, trace: Trace, grads: Gradients | None, t: int, precision: int
) -> dict[str, Any]:
    """``trace --step T --format json``: the step's numbers and its arithmetic lines."""
    clean = _Finite()
    obj: dict[str, Any] = {"t": t}
    if t == 0:
        obj["state"] = clean(trace.states[0], "state", 0)
        if trace.cells is not None:
            obj["cell"] = clean(trace.cells[0], "cell", 0)
    else:
        obj.update(_step_obj(doc, trace, t, clean))
        if grads is not None:
            obj["d_state"] = clean(grads.d_state[t - 1], "d_state", t)
            obj["contributions"] = {
                name: clean(c[t - 1], f"contributions.{name}", t)
                for name, c in grads.contributions.items()
            }
    obj["lines"] = step_lines(doc, trace, None, t, precision)
    if clean.bad:
        obj["warnings"] = clean.warnings()
    return obj


# -- one step's arithmetic ----------------------------------------------------------------------
def _parenthesised(text: str) -> str:
    """A negative number after "+" in parentheses, as the arithmetic lines write it."""
    return f"({text})" if text.startswith("-") else text


def step_lines(
    doc: Document, trace: Trace, grads: Gradients | None, t: int, precision: int
) -> list[str]:
    lines = explain_step(trace, t, doc.target_names, precision)
    if grads is None or t == 0:
        return lines
    i = t - 1
    f = lambda v: num(v, precision)  # noqa: E731
    lines.append("")
    lines.append(f"backward at step {t}:")
    for j in range(doc.hidden_size):
        unit = f"[{j + 1}]" if doc.hidden_size > 1 else ""
        lhs = f"∂L/∂s{sub(t)}{unit}"
        if t == trace.T:
            lines.append(f"{lhs} = {f(grads.d_state[i, j])} (from ŷ{sub(t)}; no later step)")
            continue
        lines.append(
            f"{lhs} = {f(grads.d_state_from_output[i, j])} (from ŷ{sub(t)})"
            f" + {_parenthesised(f(grads.d_state_from_next[i, j]))} (from step {t + 1})"
            f" = {f(grads.d_state[i, j])}"
        )
    for name, contribution in grads.contributions.items():
        lines.append(f"step {t}'s part of ∂L/∂{name} = {_array_text(contribution[i], precision)}")
    return lines


def _array_text(a: np.ndarray, precision: int) -> str:
    a = np.asarray(a)
    if a.ndim == 0:
        return num(float(a), precision)
    if a.ndim == 1:
        return "[" + ", ".join(num(v, precision) for v in a) + "]"
    return "[" + ", ".join(_array_text(row, precision) for row in a) + "]"


# -- the table shared by csv, markdown, latex (and text for the basic RNN) ----------------------
@dataclass
class Column:
    text: str  # header in text and markdown (Unicode)
    ascii: str  # header in CSV
    latex: str  # header in LaTeX (math mode)
    values: list[float | None]  # one per step; None = blank (no target)


def _unit(name: str, j: int, h: int) -> str:
    return name if h == 1 else f"{name}[{j + 1}]"


def _latex_name(name: str) -> str:
    out = []
    for ch in name:
        if ch in "&%$#_{}":
            out.append("\\" + ch)
        elif ch == "\\":
            out.append("\\textbackslash{}")
        elif ch == "~":
            out.append("\\textasciitilde{}")
        elif ch == "^":
            out.append("\\textasciicircum{}")
        else:
            out.append(ch)
    return "".join(out)


def table_columns(doc: Document, trace: Trace, grads: Gradients | None) -> list[Column]:
    T, h, k = trace.T, doc.hidden_size, doc.k
    cols = [Column("t", "t", "$t$", [float(t) for t in range(1, T + 1)])]
    for j, name in enumerate(doc.input_names):
        cols.append(Column(name, name, _latex_name(name), list(trace.inputs[:, j])))

    def units(symbol: str, latex: str, data: np.ndarray) -> None:
        for j in range(h):
            tex = f"${latex}$" if h == 1 else f"${latex}_{{{j + 1}}}$"
            cols.append(Column(_unit(symbol, j, h), _unit(symbol, j, h), tex, list(data[:, j])))

    if doc.cell == "rnn":
        units("z", "z", trace.pre["z"])
    else:
        for g in _gates(doc):
            units(g, g, trace.gates[g])
        if doc.cell == "lstm":
            units("c", "c", trace.cells[1:])
    units("s", "s", trace.states[1:])
    for j, name in enumerate(doc.target_names):
        one = k == 1
        tex_name = _latex_name(name)
        out_text = "ŷ" if one else f"ŷ({name})"
        out_tex = "$\\hat{y}$" if one else f"$\\hat{{y}}$ ({tex_name})"
        err_text = "error" if one else f"error({name})"
        err_tex = "error" if one else f"error ({tex_name})"
        mask = trace.mask[:, j]
        cols.append(
            Column(
                out_text,
                "yhat" if one else f"yhat({name})",
                out_tex,
                list(trace.outputs[:, j]),
            )
        )
        cols.append(
            Column(
                name,
                name,
                tex_name,
                [float(v) if m else None for v, m in zip(trace.targets[:, j], mask, strict=True)],
            )
        )
        cols.append(
            Column(
                err_text,
                "error" if one else f"error({name})",
                err_tex,
                [float(v) if m else None for v, m in zip(trace.errors[:, j], mask, strict=True)],
            )
        )
    if grads is not None:
        for j in range(h):
            tex = (
                "$\\partial L/\\partial s$" if h == 1 else f"$\\partial L/\\partial s_{{{j + 1}}}$"
            )
            cols.append(
                Column(_unit("∂L/∂s", j, h), _unit("dL/ds", j, h), tex, list(grads.d_state[:, j]))
            )
    return cols


def num(value: float, precision: int) -> str:
    """explain.fmt's rounding; a huge number in scientific form so a table stays readable."""
    value = float(value)
    if math.isfinite(value) and abs(value) >= 1e9:
        return f"{value:.{max(precision, 1)}e}"
    return fmt(value, precision)


def _cell_text(value: float | None, precision: int, integer: bool = False) -> str:
    if value is None:
        return ""
    if integer:
        return str(int(value))
    return num(value, precision)


def _rows(cols: list[Column], precision: int, blank: str = "") -> list[list[str]]:
    T = len(cols[0].values)
    rows = []
    for i in range(T):
        row = []
        for n, col in enumerate(cols):
            text = _cell_text(col.values[i], precision, integer=n == 0)
            row.append(text if text else blank)
        rows.append(row)
    return rows


def _loss_text(trace: Trace, precision: int) -> str:
    if trace.loss is None:
        return "loss: none (no step has a target)"
    n = trace.target_count
    return (
        f"loss = {num(trace.loss, precision)}   "
        f"(mean of error² over {n} target{'s' if n != 1 else ''})"
    )


def _gradient_lines(doc: Document, grads: Gradients, precision: int) -> list[str]:
    lines = ["gradients (∂L/∂θ, summed over the steps):"]
    names = [ps.name for ps in doc.param_specs()] + ["initial_state"]
    if doc.cell == "lstm":
        names.append("initial_cell")
    width = max(len(n) for n in names)
    for name in names:
        a = np.asarray(grads.totals[name])
        label = f"  ∂L/∂{name:<{width}} = "
        if a.ndim == 2:
            rows = [_array_text(row, precision) for row in a]
            lines.append(label + rows[0])
            lines.extend(" " * len(label) + r for r in rows[1:])
        else:
            lines.append(label + _array_text(a, precision))
    return lines


def render_csv(doc: Document, trace: Trace, grads: Gradients | None, precision: int) -> str:
    cols = table_columns(doc, trace, grads)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([c.ascii for c in cols])
    writer.writerows(_rows(cols, precision))
    return buffer.getvalue()


def render_markdown(doc: Document, trace: Trace, grads: Gradients | None, precision: int) -> str:
    cols = table_columns(doc, trace, grads)

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    out = [line([c.text for c in cols]), "| " + " | ".join("---:" for _ in cols) + " |"]
    out += [line(r) for r in _rows(cols, precision, blank="–")]
    out += ["", f"**{_loss_text(trace, precision)}**"]
    if grads is not None:
        out += ["", "```", *_gradient_lines(doc, grads, precision), "```"]
    return "\n".join(out) + "\n"


def render_latex(doc: Document, trace: Trace, grads: Gradients | None, precision: int) -> str:
    cols = table_columns(doc, trace, grads)
    spec = "r|" + "r" * doc.d + "|" + "r" * (len(cols) - 1 - doc.d)
    out = [
        f"\\begin{{tabular}}{{{spec}}}",
        " & ".join(c.latex for c in cols) + " \\\\",
        "\\hline",
    ]
    for row in _rows(cols, precision):
        out.append(" & ".join(_latex_number(c) for c in row) + " \\\\")
    loss = "no target, no loss" if trace.loss is None else f"$L = {num(trace.loss, precision)}$"
    out += ["\\hline", f"\\multicolumn{{{len(cols)}}}{{r}}{{loss {loss}}} \\\\"]
    out.append("\\end{tabular}")
    if grads is not None:
        out += ["% " + line for line in _gradient_lines(doc, grads, precision)]
    return "\n".join(out) + "\n"


def _latex_number(text: str) -> str:
    if text in ("", "NaN"):
        return "--" if text == "" else "NaN"
    if text.startswith("-"):
        return "$-$" + text[1:]
    return text.replace("∞", "$\\infty$")


# -- text ---------------------------------------------------------------------------------------
def _header(doc: Document, trace: Trace) -> str:
    what = CELL_TITLES[doc.cell] + (f" ({doc.activation})" if doc.cell == "rnn" else "")
    T = trace.T

    def n(count: int, word: str) -> str:
        return f"{count} {word}{'s' if count != 1 else ''}"

    return (
        f"{what}: {n(doc.d, 'input')}, {n(doc.hidden_size, 'hidden unit')}, "
        f"{n(doc.k, 'target')}, {n(T, 'step')}, {doc.readout} readout"
    )


def _aligned(headers: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(h), *(len(r[j]) for r in rows)) for j, h in enumerate(headers)]
    lines = ["  ".join(h.rjust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for r in rows:
        lines.append("  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)).rstrip())
    return lines


def render_text(doc: Document, trace: Trace, grads: Gradients | None, precision: int) -> str:
    out = [_header(doc, trace), ""]
    if doc.cell == "rnn":
        cols = table_columns(doc, trace, grads)
        out += _aligned([c.text for c in cols], _rows(cols, precision, blank="–"))
    else:
        out += _step_blocks(doc, trace, grads, precision)
    out += ["", _loss_text(trace, precision)]
    if not trace.finite:
        out.append(
            f"warning: the forward pass overflowed at step {trace.first_nonfinite_step}; "
            f"∞ and NaN above are what it computed"
        )
    if grads is not None:
        out += [""] + _gradient_lines(doc, grads, precision)
    return "\n".join(out) + "\n"


def _step_blocks(doc: Document, trace: Trace, grads: Gradients | None, precision: int) -> list[str]:
    """LSTM and GRU: one block per step, one line per gate."""
    f = lambda a: _array_text(a, precision)  # noqa: E731
    out: list[str] = []
    for t in range(1, trace.T + 1):
        i = t - 1
        inputs = ", ".join(
            f"{name} = {num(v, precision)}"
            for name, v in zip(doc.input_names, trace.inputs[i], strict=True)
        )
        rows: list[tuple[str, str]] = []
        for g in _gates(doc):
            rows.append((f"{GATE_TITLES[g]} {g}", f(trace.gates[g][i])))
        if doc.cell == "lstm":
            rows.append(("cell c", f(trace.cells[t])))
        rows.append(("state s", f(trace.states[t])))
        rows.append(("output ŷ", f(trace.outputs[i])))
        targets = [
            num(v, precision) if m else "–"
            for v, m in zip(trace.targets[i], trace.mask[i], strict=True)
        ]
        errors = [
            num(v, precision) if m else "–"
            for v, m in zip(trace.errors[i], trace.mask[i], strict=True)
        ]
        rows.append(("target y", "[" + ", ".join(targets) + "]"))
        rows.append(("error ŷ − y", "[" + ", ".join(errors) + "]"))
        if grads is not None:
            rows.append(("∂L/∂s", f(grads.d_state[i])))
        width = max(len(label) for label, _ in rows)
        out.append(f"step {t}: {inputs}")
        out += [f"  {label:<{width}}  {value}" for label, value in rows]
        if t < trace.T:
            out.append("")
    return out


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
