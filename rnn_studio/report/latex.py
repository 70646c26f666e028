"""LaTeX: ``trace --format latex`` (a tabular) and the fragment ``export -o trace.tex``
writes (the tabular, the loss, then each step's arithmetic).

The fragment is meant to be ``\\input`` into a document whose preamble has
``\\usepackage{booktabs}``: the table is a booktabs tabular (\\toprule, \\midrule,
\\bottomrule, no vertical rules), the rest inline math. The arithmetic lines are
explain.py's Unicode text; ``latex_line`` spells every symbol they use (ŷ₁, ·, −, σ,
∂, ...) in plain LaTeX math.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..core import Gradients, Trace
from ..document import Document
from .columns import gradient_lines, rows, table_columns
from .numbers import num
from .steps import arithmetic_sections


def render_latex(doc: Document, trace: Trace, grads: Gradients | None, precision: int) -> str:
    cols = table_columns(doc, trace, grads)
    spec = "r" * len(cols)
    out = [
        f"\\begin{{tabular}}{{{spec}}}",
        "\\toprule",
        " & ".join(c.latex for c in cols) + " \\\\",
        "\\midrule",
    ]
    for row in rows(cols, precision):
        out.append(" & ".join(_latex_number(c) for c in row) + " \\\\")
    loss = "no target, no loss" if trace.loss is None else f"$L = {num(trace.loss, precision)}$"
    out += ["\\midrule", f"\\multicolumn{{{len(cols)}}}{{r}}{{loss {loss}}} \\\\"]
    out += ["\\bottomrule", "\\end{tabular}"]
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
_RUN = re.compile(r"[A-Za-z]?[₀-₉₋]+|[⁰¹²³⁴-⁹⁻]+|.", re.DOTALL)
_NEGATIVE = re.compile(r"(?<![A-Za-z0-9.])-(?=[0-9])")


def latex_line(line: str) -> str:
    """One line of arithmetic in LaTeX text mode, its symbols as inline math."""
    line = _NEGATIVE.sub("\u2212", line)  # "-0.25" is a minus sign, not a hyphen
    out = []
    for piece in _RUN.findall(line):
        first = piece[0]
        if first.isascii() and first.isalpha() and len(piece) > 1:  # s₁: $s_{1}$
            out.append(f"${first}_{{{piece[1:].translate(_SUBSCRIPTS)}}}$")
        elif "₀" <= first <= "₉" or first == "₋":  # after a symbol: ŷ₁ is $\hat{y}$$_{1}$
            out.append(f"$_{{{piece.translate(_SUBSCRIPTS)}}}$")
        elif first in "⁰¹²³⁴⁵⁶⁷⁸⁹⁻":
            out.append(f"$^{{{piece.translate(_SUPERSCRIPTS)}}}$")
        else:
            out.append(_TEXT_ESCAPES.get(piece, _SYMBOLS.get(piece, piece)))
    # adjacent inline maths ("$\hat{y}$$_{1}$") join into one ("$\hat{y} _{1}$"): a bare
    # "$$" would open display math. The space keeps "\partial" "s" from becoming
    # "\partials"; math mode ignores it.
    return "".join(out).replace("$$", " ")


def latex_document(
    doc: Document,
    trace: Trace,
    steps: Iterable[int],
    precision: int,
    title: str = "",
    grads: Gradients | None = None,
) -> str:
    """The fragment ``export -o trace.tex`` writes; a comment at its top says how to use it."""
    out = [
        f"% RNN Studio: {title or 'the trace'}, its table and each step's arithmetic.",
        "% A LaTeX fragment, not a whole document: \\input{} it into a document whose",
        "% preamble has \\usepackage{booktabs} (the table's rules); the rest is inline math.",
        "\\begingroup",
        "{\\small\\setlength{\\tabcolsep}{4pt}% a table of a dozen columns fits the text width",
        "\\noindent",
        render_latex(doc, trace, None, precision).rstrip("\n"),
        "\\par}",
    ]
    for heading, lines in arithmetic_sections(doc, trace, steps, precision, grads):
        out += ["", "\\medskip", f"\\noindent\\textbf{{{heading}}}\\par"]
        for line in lines:
            out.append(f"\\noindent {latex_line(line)}\\par" if line else "\\smallskip")
    out.append("\\endgroup")
    return "\n".join(out) + "\n"
