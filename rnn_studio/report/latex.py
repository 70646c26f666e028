"""LaTeX: ``trace --format latex`` (a tabular) and the fragment ``export -o trace.tex``
writes (the tabular, the loss, then each step's arithmetic).

The fragment is meant to be ``\\input`` into a document: it uses only the LaTeX kernel
(tabular, \\hline, inline math), so it compiles with pdflatex in any preamble, one with
``\\usepackage{booktabs}`` included. The arithmetic lines are explain.py's Unicode text;
``latex_line`` spells every symbol they use (ŷ₁, ·, −, σ, ∂, ...) in plain LaTeX math.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..core import Gradients, Trace
from ..document import Document
from .columns import gradient_lines, rows, table_columns
from .numbers import num
from .steps import step_lines


def render_latex(doc: Document, trace: Trace, grads: Gradients | None, precision: int) -> str:
    cols = table_columns(doc, trace, grads)
    spec = "r|" + "r" * doc.d + "|" + "r" * (len(cols) - 1 - doc.d)
    out = [
        f"\\begin{{tabular}}{{{spec}}}",
        " & ".join(c.latex for c in cols) + " \\\\",
        "\\hline",
    ]
    for row in rows(cols, precision):
        out.append(" & ".join(_latex_number(c) for c in row) + " \\\\")
    loss = "no target, no loss" if trace.loss is None else f"$L = {num(trace.loss, precision)}$"
    out += ["\\hline", f"\\multicolumn{{{len(cols)}}}{{r}}{{loss {loss}}} \\\\"]
    out.append("\\end{tabular}")
    if grads is not None:
        out += ["% " + line for line in gradient_lines(doc, grads, precision)]
    return "\n".join(out) + "\n"


def _latex_number(text: str) -> str:
    if text in ("", "NaN"):
        return "--" if text == "" else "NaN"
    if text.startswith("-"):
        return "$-$" + text[1:]
    return text.replace("∞", "$\\infty$")


# -- explain.py's Unicode lines in LaTeX -------------------------------------------------------
_TEXT_ESCAPES = {
    "\\": "\\textbackslash{}",
    "&": "\\&",
    "%": "\\%",
    "#": "\\#",
    "_": "\\_",
    "{": "\\{",
    "}": "\\}",
    "$": "\\textdollar{}",  # never a bare $: every $ below opens or closes math
    "~": "\\textasciitilde{}",
    "^": "\\textasciicircum{}",
    "<": "$<$",
    ">": "$>$",
    "|": "$|$",
}
_SYMBOLS = {
    "·": "$\\cdot$",
    "−": "$-$",
    "×": "$\\times$",
    "±": "$\\pm$",
    "σ": "$\\sigma$",
    "φ": "$\\varphi$",
    "θ": "$\\theta$",
    "ε": "$\\varepsilon$",
    "η": "$\\eta$",
    "β": "$\\beta$",
    "Σ": "$\\Sigma$",
    "ŷ": "$\\hat{y}$",
    "∂": "$\\partial$",
    "√": "$\\surd$",
    "∞": "$\\infty$",
    "⊙": "$\\odot$",
    "≈": "$\\approx$",
    "→": "$\\to$",
    "←": "$\\leftarrow$",
    "‖": "$\\|$",
    "…": "\\ldots{}",
    "–": "--",
    "—": "---",
}
_SUBSCRIPTS = str.maketrans("₀₁₂₃₄₅₆₇₈₉₋", "0123456789-")
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_RUN = re.compile(r"[₀-₉₋]+|[⁰¹²³⁴-⁹⁻]+|.", re.DOTALL)
_NEGATIVE = re.compile(r"(?<![A-Za-z0-9.])-(?=[0-9])")


def latex_line(line: str) -> str:
    """One line of arithmetic in LaTeX text mode, its symbols as inline math."""
    line = _NEGATIVE.sub("\u2212", line)  # "-0.25" is a minus sign, not a hyphen
    out = []
    for piece in _RUN.findall(line):
        first = piece[0]
        if "₀" <= first <= "₉" or first == "₋":
            out.append(f"$_{{{piece.translate(_SUBSCRIPTS)}}}$")
        elif first in "⁰¹²³⁴⁵⁶⁷⁸⁹⁻":
            out.append(f"$^{{{piece.translate(_SUPERSCRIPTS)}}}$")
        else:
            out.append(_TEXT_ESCAPES.get(piece, _SYMBOLS.get(piece, piece)))
    # adjacent inline maths ("$\hat{y}$$_{1}$") join into one ("$\hat{y}_{1}$"); a bare
    # "$$" would otherwise open display math
    return "".join(out).replace("$$", "")


def latex_document(
    doc: Document, trace: Trace, steps: Iterable[int], precision: int, title: str = ""
) -> str:
    """The fragment ``export -o trace.tex`` writes; a comment at its top says how to use it."""
    out = [
        f"% RNN Studio: {title or 'the trace'}, its table and each step's arithmetic.",
        "% A LaTeX fragment, not a whole document: \\input{} it into a document (one with",
        "% \\usepackage{booktabs} is fine). It needs no package: tabular, \\hline and inline",
        "% math only, so it compiles with pdflatex as it is.",
        "\\begingroup",
        "\\noindent",
        render_latex(doc, trace, None, precision).rstrip("\n"),
        "\\par",
    ]
    for t in steps:
        out += ["", "\\medskip", f"\\noindent\\textbf{{Step {t}}}\\par"]
        for line in step_lines(doc, trace, None, t, precision):
            out.append(f"\\noindent {latex_line(line)}\\par" if line else "\\smallskip")
    out.append("\\endgroup")
    return "\n".join(out) + "\n"
