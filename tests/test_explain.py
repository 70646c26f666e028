"""The arithmetic written out: the lecture's exact lines, and every plugged-in number
re-evaluated so that a wrong number in a line cannot pass."""

from __future__ import annotations

import math
import re
import warnings

import numpy as np
import pytest
from reference import param_shapes

from rnn_studio.core import ModelSpec, run
from rnn_studio.examples import gru_by_hand, lecture, lstm_by_hand
from rnn_studio.explain import explain_step, explain_text, fmt

# -- the lecture, exactly ------------------------------------------------------------


def test_lecture_step_1_exactly_as_the_slide():
    assert explain_step(lecture().trace(), 1) == [
        "s₁ = tanh(0.7·0.1 + 0.3·0.4 + 0.4·0 + 0.4) = tanh(0.59) = 0.5299",
        "ŷ₁ = s₁ = 0.5299",
        "error = ŷ₁ − y = 0.5299 − 0.3 = 0.2299",
    ]


def test_lecture_step_2():
    lines = explain_step(lecture().trace(), 2)
    assert lines[0] == "s₂ = tanh(0.7·0.7 + 0.3·0.9 + 0.4·0.5299 + 0.4) = tanh(1.3720) = 0.8791"
    assert "tanh(1.3720) = 0.8791" in lines[0]
    assert lines[1] == "ŷ₂ = s₂ = 0.8791"
    assert lines[2] == "error = ŷ₂ − y = 0.8791 − 0.5 = 0.3791"


def test_step_0_shows_the_initial_state():
    assert explain_step(lecture().trace(), 0) == ["s₀ = 0   (initial state)"]
    lines = explain_step(lstm_by_hand().with_initial_state([0.25]).trace(), 0)
    assert lines == ["s₀ = 0.25   (initial state)", "c₀ = 0   (initial cell state)"]


def test_step_outside_the_sequence_is_refused():
    with pytest.raises(IndexError):
        explain_step(lecture().trace(), 3)


def test_an_edited_input_shows_up_in_the_line():
    doc = lecture().with_cell_value(0, 0, "0.2")
    line = explain_step(doc.trace(), 1)[0]
    assert "0.7·0.2" in line
    assert line == "s₁ = tanh(0.7·0.2 + 0.3·0.4 + 0.4·0 + 0.4) = tanh(0.66) = 0.5784"
    assert "0.5784" in explain_text(doc.trace(), 1)


def test_precision_changes_the_computed_numbers_only():
    line = explain_step(lecture().trace(), 1, precision=2)[0]
    assert line == "s₁ = tanh(0.7·0.1 + 0.3·0.4 + 0.4·0 + 0.4) = tanh(0.59) = 0.53"
    line = explain_step(lecture().trace(), 2, precision=6)[0]
    s1 = math.tanh(0.59)
    z2 = 0.7 * 0.7 + 0.3 * 0.9 + 0.4 * s1 + 0.4
    assert line == (
        f"s₂ = tanh(0.7·0.7 + 0.3·0.9 + 0.4·{s1:.6f} + 0.4) = tanh({z2:.6f}) = {math.tanh(z2):.6f}"
    )
    assert f"{s1:.6f}" == "0.529896"


def test_hidden_units_get_one_line_each():
    doc = lecture().with_hidden_size(3)
    trace = doc.trace()
    lines = explain_step(trace, 1)
    state_lines = [ln for ln in lines if ln.startswith("s₁")]
    assert [ln.split(" = ")[0] for ln in state_lines] == ["s₁[1]", "s₁[2]", "s₁[3]"]
    assert state_lines[0] == (
        "s₁[1] = tanh(0.7·0.1 + 0.3·0.4 + 0.4·0 + 0·0 + 0·0 + 0.4) = tanh(0.59) = 0.5299"
    )
    # d + h products and a bias per unit
    assert all(ln.count("·") == 2 + 3 for ln in state_lines)


def test_negative_numbers_in_parentheses():
    doc = lecture().with_param("W", (0, 0), -0.7).with_param("b", (0,), -0.4)
    doc = doc.with_cell_value(0, 2, "-0.3").with_cell_value(0, 1, "-0.4")
    trace = doc.trace()
    lines = explain_step(trace, 1)
    z = -0.7 * 0.1 + 0.3 * -0.4 - 0.4
    assert lines[0] == (
        f"s₁ = tanh((-0.7)·0.1 + 0.3·(-0.4) + 0.4·0 + (-0.4)) = tanh({fmt(z)})"
        f" = {fmt(math.tanh(z))}"
    )
    assert lines[2] == (
        f"error = ŷ₁ − y = {fmt(math.tanh(z))} − (-0.3) = {fmt(math.tanh(z) + 0.3)}"
    )
    assert "- -" not in "\n".join(lines) and "+ -" not in "\n".join(lines)


def test_a_blank_target_says_so():
    doc = lecture().with_cell_value(1, 2, None)
    lines = explain_step(doc.trace(), 2)
    assert lines[-1] == "error: no target at step 2 (y is blank)"
    assert not any(ln.startswith("error =") for ln in lines)
    # the other step still has its error
    assert explain_step(doc.trace(), 1)[-1] == "error = ŷ₁ − y = 0.5299 − 0.3 = 0.2299"


def test_target_names_name_the_targets():
    doc = lecture().with_cell_value(1, 2, None)
    assert explain_step(doc.trace(), 2, target_names=["price"])[-1] == (
        "error: no target at step 2 (price is blank)"
    )
    line = explain_step(doc.trace(), 1, target_names=["price"])[-1]
    assert line == "error = ŷ₁ − price = 0.5299 − 0.3 = 0.2299"


def test_lstm_lines_in_order():
    lines = explain_step(lstm_by_hand().trace(), 1)
    heads = [ln.split(" = ")[0] for ln in lines]
    assert heads[:6] == ["i₁", "f₁", "g₁", "o₁", "c₁", "s₁"]
    assert lines[1] == "f₁ = σ(0.2·0.1 + 0.5·0.4 + 0.3·0 + 0.15) = σ(0.37) = 0.5915"
    assert lines[0].startswith("i₁ = σ(") and lines[2].startswith("g₁ = tanh(")
    assert lines[4].startswith("c₁ = f₁·c₀ + i₁·g₁ = ")
    assert lines[5].startswith("s₁ = o₁·tanh(c₁) = ")


def test_gru_lines_in_order():
    lines = explain_step(gru_by_hand().trace(), 2)
    heads = [ln.split(" = ")[0] for ln in lines]
    assert heads[:4] == ["r₂", "z₂", "n₂", "s₂"]
    assert lines[3].startswith("s₂ = (1 − z₂)·n₂ + z₂·s₁ = (1 − ")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.59, "0.59"),
        (1.37195824, "1.3720"),
        (0.0, "0"),
        (-0.0, "0"),
        (2.0, "2"),
        (-0.25, "-0.25"),
        (0.52989561, "0.5299"),
        (0.1 + 0.2, "0.3"),  # 0.30000000000000004 is 0.3 at any shown precision
        (-1e-5, "0.0000"),  # not exactly zero: keeps its digits, and never "-0"
        (1e-5, "0.0000"),
        (-0.00004, "0.0000"),
        (-0.00005001, "-0.0001"),
        (float("inf"), "∞"),
        (float("-inf"), "-∞"),
        (float("nan"), "NaN"),
        (1e200, "1e+200"),
    ],
)
def test_fmt(value, text):
    assert fmt(value) == text


def test_fmt_never_prints_minus_zero():
    for value in np.linspace(-1e-3, 1e-3, 401):
        for precision in (1, 2, 4, 6):
            text = fmt(value, precision)
            assert not re.fullmatch(r"-0(\.0*)?", text), (value, precision, text)
            assert float(text) == pytest.approx(value, abs=0.51 * 10.0**-precision)


# -- every line re-evaluated -----------------------------------------------------------

_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_FUNCS = {"σ": lambda a: 1 / (1 + math.exp(-a)), "tanh": math.tanh, "relu": lambda a: max(a, 0.0)}
_CALL = re.compile(r"^(σ|tanh|relu)\((.*)\)$")


def _is_numeric(part: str) -> bool:
    rest = part
    for name in _FUNCS:
        rest = rest.replace(name, "")
    return bool(_NUMBER.search(rest)) and all(ch in "0123456789.+-−·() " for ch in rest)


def _compile(expr: str):
    """(function of the literals, the literals) for an arithmetic expression as printed."""
    literals = [m.group() for m in _NUMBER.finditer(expr)]
    counter = iter(range(len(literals)))
    code = _NUMBER.sub(lambda m: f"_v[{next(counter)}]", expr)
    code = code.replace("·", "*").replace("−", "-").replace("σ", "_sig")
    code = code.replace("tanh", "_tanh").replace("relu", "_relu")
    env = {"_sig": _FUNCS["σ"], "_tanh": math.tanh, "_relu": _FUNCS["relu"]}
    fn = eval(f"lambda _v: {code}", env)  # noqa: S307 - our own generated text
    return fn, [float(x) for x in literals]


def _value_and_slack(expr: str, precision: int) -> tuple[float, float]:
    """The expression's value, and how far rounding of its printed numbers can move it.

    A number printed with all ``precision`` decimals may be rounded by half a unit in
    the last place; a shorter one claims to be exact, so it gets no slack at all.
    """
    fn, values = _compile(expr)
    literals = [m.group() for m in _NUMBER.finditer(expr)]
    value = fn(values)
    slack = 0.0
    for i, text in enumerate(literals):
        decimals = len(text.split(".")[1]) if "." in text else 0
        if decimals < precision:
            continue
        step = 0.5 * 10.0**-precision
        moved = []
        for sign in (1, -1):
            v = list(values)
            v[i] += sign * step
            moved.append(abs(fn(v) - value))
        slack += max(moved)
    return value, slack


def check_line(line: str, precision: int = 4) -> int:
    """Every two neighbouring numeric sides of `a = b = c` agree up to rounding; the
    arguments of `f(A) = f(B)` too. Returns how many comparisons were made."""
    parts = [p.strip() for p in line.split(" = ")]
    numeric = [p for p in parts if _is_numeric(p)]
    checks = 0
    for left, right in zip(numeric, numeric[1:], strict=False):
        a, slack_a = _value_and_slack(left, precision)
        b, slack_b = _value_and_slack(right, precision)
        assert abs(a - b) <= slack_a + slack_b + 1e-9, f"{left!r} = {a} but {right!r} = {b}"
        checks += 1
        ma, mb = _CALL.match(left), _CALL.match(right)
        if ma and mb and ma.group(1) == mb.group(1):
            a, slack_a = _value_and_slack(ma.group(2), precision)
            b, slack_b = _value_and_slack(mb.group(2), precision)
            assert abs(a - b) <= slack_a + slack_b + 1e-9, (
                f"in {line!r}: {ma.group(2)!r} = {a} but {mb.group(2)!r} = {b}"
            )
            checks += 1
    return checks


def test_the_checker_catches_a_wrong_number():
    good = "s₁ = tanh(0.7·0.1 + 0.3·0.4 + 0.4·0 + 0.4) = tanh(0.59) = 0.5299"
    assert check_line(good) == 3
    for bad in (
        good.replace("0.7·0.1", "0.3·0.1"),
        good.replace("= 0.5299", "= 0.5300"),
        good.replace("tanh(0.59)", "tanh(0.60)"),
        "f₁ = σ(0.2·0.1 + 0.5·0.4 + 0.3·0 + 0.15) = σ(0.37) = 0.5916",
        "c₁ = f₁·c₀ + i₁·g₁ = 0.5915·0 + 0.5769·0.2636 = 0.1531",
    ):
        with pytest.raises(AssertionError):
            check_line(bad)


def _round_case(cell: str, activation: str, readout: str, h: int, seed: int):
    """Weights, inputs and starts on a 0.1 grid (exact at 4 decimals), targets on 0.05."""
    rng = np.random.default_rng(seed)
    d, k = 2, (h if readout == "identity" else 2)
    spec = ModelSpec(cell, d, h, k, activation, readout)
    params = {
        name: rng.integers(-10, 11, size=shape) / 10
        for name, shape in param_shapes(cell, readout, d, h, k).items()
    }
    x = rng.integers(-10, 11, size=(3, d)) / 10
    y = rng.integers(-20, 21, size=(3, k)) / 20
    y[1, 0] = np.nan
    s0 = rng.integers(-10, 11, size=h) / 10
    c0 = rng.integers(-10, 11, size=h) / 10 if cell == "lstm" else None
    return run(spec, params, x, y, s0, c0)


CONFIGS = [("rnn", a) for a in ("tanh", "relu", "sigmoid", "identity")] + [
    ("lstm", "tanh"),
    ("gru", "tanh"),
]


@pytest.mark.parametrize(("cell", "activation"), CONFIGS)
@pytest.mark.parametrize("readout", ["identity", "linear"])
@pytest.mark.parametrize("h", [1, 2, 3])
def test_every_line_re_evaluates(cell, activation, readout, h):
    for seed in range(4):
        trace = _round_case(cell, activation, readout, h, seed)
        for t in range(1, trace.T + 1):
            lines = explain_step(trace, t)
            checks = sum(check_line(ln) for ln in lines)
            per_unit = {
                "rnn": 1 if activation == "identity" else 3,
                "lstm": 4 * 3 + 2,
                "gru": 2 * 3 + 3 + 1,
            }[cell]
            assert checks >= per_unit * h, lines
            _check_results_are_the_trace(trace, t, lines)


def _check_results_are_the_trace(trace, t: int, lines: list[str]) -> None:
    """The number at the end of each line is the trace's value, formatted."""
    h, i = trace.spec.h, t - 1
    by_head = {ln.split(" = ")[0]: ln.rsplit(" = ", 1)[-1] for ln in lines if " = " in ln}

    def head(letter: str, j: int, n: int) -> str:
        sub = str(t).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))
        return f"{letter}{sub}" + (f"[{j + 1}]" if n > 1 else "")

    for j in range(h):
        assert by_head[head("s", j, h)] == fmt(trace.states[t, j])
        for name, values in trace.gates.items():
            assert by_head[head(name, j, h)] == fmt(values[i, j])
        if trace.cells is not None:
            assert by_head[head("c", j, h)] == fmt(trace.cells[t, j])
    k = trace.spec.k
    for j in range(k):
        assert by_head[head("ŷ", j, k)] == fmt(trace.outputs[i, j])
    errors = [ln for ln in lines if ln.startswith("error")]
    assert len(errors) == k
    for j, line in enumerate(errors):
        if trace.mask[i, j]:
            assert line.rsplit(" = ", 1)[-1] == fmt(trace.errors[i, j])
        else:
            assert "no target" in line


def test_an_overflowing_trace_still_explains():
    spec = ModelSpec("rnn", d=1, h=1, k=1, activation="identity")
    trace = run(
        spec, {"W": np.array([[1e200, 1e200]]), "b": np.zeros(1)}, np.ones((3, 1)), np.zeros((3, 1))
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        first = explain_step(trace, 1)[0]
        text = explain_text(trace, 2) + explain_text(trace, 3)
    assert first == "s₁ = 1e+200·1 + 1e+200·0 + 0 = 1e+200"
    assert "∞" in text or "NaN" in text
