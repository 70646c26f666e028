"""The backward arithmetic written out: the lecture's lines exactly, and for every cell
each line re-evaluated from its printed numbers and its result read back from Backward."""

from __future__ import annotations

import re

import numpy as np
import pytest
from reference import param_shapes

from rnn_studio.core import ModelSpec, backprop, run
from rnn_studio.examples import gru_by_hand, lecture, lstm_by_hand
from rnn_studio.explain import fmt, sub
from rnn_studio.explain_backward import explain_backward_step, explain_backward_text, gfmt

# -- the lecture, exactly ------------------------------------------------------------


def test_lecture_step_2_exactly_as_the_slide():
    backward = backprop(lecture().trace())
    assert explain_backward_step(backward, 2) == [
        "∂L/∂ŷ₂ = 2·0.3791/2 = 0.3791",
        "∂L/∂s₂ = 0.3791",
        "∂L/∂z₂ = 0.3791·(1 − 0.8791²) = 0.0861",
        "∂L/∂W += 0.0861·[0.7, 0.9, 0.5299] = [0.0603, 0.0775, 0.0456]",
        "∂L/∂b += 0.0861",
    ]


def test_lecture_step_1_takes_the_signal_from_step_2():
    backward = backprop(lecture().trace())
    assert explain_backward_step(backward, 1) == [
        "∂L/∂ŷ₁ = 2·0.2299/2 = 0.2299",
        "∂L/∂s₁ = 0.2299 + 0.4·0.0861 = 0.2643",
        "∂L/∂z₁ = 0.2643·(1 − 0.5299²) = 0.1901",
        "∂L/∂W += 0.1901·[0.1, 0.4, 0] = [0.0190, 0.0760, 0]",
        "∂L/∂b += 0.1901",
        "∂L/∂s₀ = 0.4·0.1901 = 0.0760",
    ]
    # the slide's totals: the two steps' parts add up
    assert [fmt(v) for v in backward.totals["W"][0]] == ["0.0793", "0.1535", "0.0456"]
    assert fmt(backward.totals["b"][0]) == "0.2762"


def test_a_step_outside_the_sequence_is_refused():
    backward = backprop(lecture().trace())
    for t in (0, 3):
        with pytest.raises(IndexError):
            explain_backward_step(backward, t)


def test_a_blank_target_sends_no_signal_from_its_output():
    backward = backprop(lecture().with_cell_value(1, 2, None).trace())
    lines = explain_backward_step(backward, 2, target_names=["price"])
    assert lines[0] == "∂L/∂ŷ₂ = 0   (no target at step 2: price is blank)"
    assert lines[1] == "∂L/∂s₂ = 0"
    # one target left: the mean is over 1 entry
    assert explain_backward_step(backward, 1)[0] == "∂L/∂ŷ₁ = 2·0.2299/1 = 0.4598"


def test_negative_factors_in_parentheses():
    doc = lecture().with_cell_value(1, 2, "1.5")  # ŷ₂ < y: a negative error
    text = explain_backward_text(backprop(doc.trace()), 2)
    assert text.startswith("∂L/∂ŷ₂ = 2·(-0.6209)/2 = -0.6209")
    assert "+ -" not in text and "·-" not in text


def test_lstm_goes_through_the_cell_state_one_line_per_gate():
    backward = backprop(lstm_by_hand().trace())
    heads = [ln.split(" = ")[0].split(" += ")[0] for ln in explain_backward_step(backward, 1)]
    assert heads[:7] == ["∂L/∂ŷ₁", "∂L/∂s₁", "∂L/∂c₁", "δi₁", "δf₁", "δg₁", "δo₁"]
    assert heads[-2:] == ["∂L/∂s₀", "∂L/∂c₀"]
    line = explain_backward_step(backward, 1)[2]
    assert line.startswith("∂L/∂c₁ = ∂L/∂s₁·o₁·(1 − tanh(c₁)²) + ∂L/∂c₂·f₂ = ")


def test_gru_lines_in_the_signals_order():
    backward = backprop(gru_by_hand().trace())
    heads = [ln.split(" = ")[0].split(" += ")[0] for ln in explain_backward_step(backward, 2)]
    assert heads[:6] == ["∂L/∂ŷ₂", "∂L/∂s₂", "δn₂", "δnh₂", "δr₂", "δz₂"]
    assert "∂L/∂W_nx" in heads and "∂L/∂W_ns" in heads


# -- every line re-evaluated, every result read back ----------------------------------

_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?(?:e[+-][0-9]+)?")
_NUMERIC_CHARS = set("0123456789.+-−·()²/[], e")


def _is_numeric(part: str) -> bool:
    rest = part.replace("tanh", "")
    return bool(_NUMBER.search(rest)) and set(rest) <= _NUMERIC_CHARS


def _compile(expr: str):
    literals = [m.group() for m in _NUMBER.finditer(expr)]
    counter = iter(range(len(literals)))
    code = expr.replace("[", "_a((").replace("]", ",))")
    code = _NUMBER.sub(lambda m: f"_v[{next(counter)}]", code)
    code = code.replace("·", "*").replace("−", "-").replace("²", "**2").replace("tanh", "_tanh")
    fn = eval(f"lambda _v: {code}", {"_tanh": np.tanh, "_a": np.array})  # noqa: S307
    return fn, literals


def _value_and_slack(expr: str, precision: int = 4):
    """The value of a printed expression, and how far rounding its numbers can move it."""
    fn, literals = _compile(expr)
    values = [float(x) for x in literals]
    value = np.asarray(fn(values), dtype=float)
    slack = np.zeros_like(value)
    for i, text in enumerate(literals):
        decimals = len(text.split(".")[1]) if "." in text else 0
        if decimals < precision:  # printed short: claims to be exact
            continue
        for sign in (1, -1):
            v = list(values)
            v[i] += sign * 0.5 * 10.0**-precision
            slack = np.maximum(slack, abs(np.asarray(fn(v)) - value))
    return value, slack * len(literals)


def check_line(line: str) -> int:
    """Neighbouring numeric sides of `head = a = b` agree up to the printed rounding."""
    head, _, rest = line.partition(" += ") if " += " in line else line.partition(" = ")
    parts = [p.strip() for p in rest.split(" = ")]
    numeric = [p for p in parts if _is_numeric(p)]
    for left, right in zip(numeric, numeric[1:], strict=False):
        a, sa = _value_and_slack(left)
        b, sb = _value_and_slack(right)
        assert np.all(abs(a - b) <= sa + sb + 1e-9), f"{line!r}: {left} = {a} but {right} = {b}"
    return len(numeric) - 1


def test_the_checker_catches_a_wrong_number():
    good = "∂L/∂W += 0.0861·[0.7, 0.9, 0.5299] = [0.0603, 0.0775, 0.0456]"
    assert check_line(good) == 1
    assert check_line("∂L/∂s₁ = 0.2299 + 0.4·0.0861 = 0.2643") == 1
    for bad in (
        good.replace("0.0775", "0.0785"),
        "∂L/∂z₂ = 0.3791·(1 − 0.8791²) = 0.0871",
        "∂L/∂s₁ = 0.2299 + 0.3·0.0861 = 0.2643",
        "δo₂ = (-0.1662)·tanh(0.5518)·0.6651·(1 − 0.6651) = -0.0196",
    ):
        with pytest.raises(AssertionError):
            check_line(bad)


def _round_case(cell: str, activation: str, readout: str, h: int, seed: int):
    """Numbers on a 0.1 grid, a blank target at step 2, a non-zero initial state."""
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


def _expected(backward, t: int) -> dict[str, str]:
    """Every line's head → the number (or row) it must end with, from Backward."""
    spec, i = backward.trace.spec, t - 1
    h, k = spec.h, spec.k

    def unit(j: int, n: int) -> str:
        return f"[{j + 1}]" if n > 1 else ""

    def row(name: str, j: int, n: int) -> str:
        return f"∂L/∂{name}" + (f"[{j + 1},·]" if n > 1 else "")

    def vec(values) -> str:
        return "[" + ", ".join(gfmt(v) for v in values) + "]"

    part = backward.contribution(t)
    out: dict[str, str] = {}
    for q in range(k):
        out[f"∂L/∂ŷ{sub(t)}{unit(q, k)}"] = gfmt(backward.d_output[i, q])
        if spec.readout == "linear":
            out[row("V", q, k)] = vec(part["V"][q])
            out[f"∂L/∂c{unit(q, k)}"] = gfmt(part["c"][q])
    for j in range(h):
        out[f"∂L/∂s{sub(t)}{unit(j, h)}"] = gfmt(backward.d_state[i, j])
        matrices = [p.name for p in spec.param_specs() if p.kind == "matrix" and p.name != "V"]
        vectors = [p.name for p in spec.param_specs() if p.kind == "vector" and p.name != "c"]
        for name in matrices:
            if name == "W_n":
                out[row("W_nx", j, h)] = vec(part["W_n"][j, : spec.d])
                out[row("W_ns", j, h)] = vec(part["W_n"][j, spec.d :])
            else:
                out[row(name, j, h)] = vec(part[name][j])
        for name in vectors:
            out[f"∂L/∂{name}{unit(j, h)}"] = gfmt(part[name][j])
        if spec.cell == "rnn":
            out[f"∂L/∂z{sub(t)}{unit(j, h)}"] = gfmt(backward.deltas["z"][i, j])
        else:
            for g, values in backward.deltas.items():
                out[f"δ{g}{sub(t)}{unit(j, h)}"] = gfmt(values[i, j])
        if spec.cell == "lstm":
            out[f"∂L/∂c{sub(t)}{unit(j, h)}"] = gfmt(backward.d_cell[i, j])
        if t == 1:
            out[f"∂L/∂s₀{unit(j, h)}"] = gfmt(backward.totals["initial_state"][j])
            if spec.cell == "lstm":
                out[f"∂L/∂c₀{unit(j, h)}"] = gfmt(backward.totals["initial_cell"][j])
    return out


CONFIGS = [("rnn", a) for a in ("tanh", "relu", "sigmoid", "identity")] + [
    ("lstm", "tanh"),
    ("gru", "tanh"),
]


@pytest.mark.parametrize(("cell", "activation"), CONFIGS)
@pytest.mark.parametrize("readout", ["identity", "linear"])
@pytest.mark.parametrize("h", [1, 2, 3])
def test_every_line_re_evaluates_and_ends_with_backwards_number(cell, activation, readout, h):
    for seed in range(3):
        backward = backprop(_round_case(cell, activation, readout, h, seed))
        for t in range(backward.trace.T, 0, -1):
            lines = explain_backward_step(backward, t)
            for line in lines:
                check_line(line)
            ends = {}
            for line in lines:
                head, sep, _ = line.partition(" += ") if " += " in line else line.partition(" = ")
                assert head not in ends, f"{head} twice in {lines}"
                end = line.rsplit(" = ", 1)[-1] if " = " in line else line.split(sep)[1]
                ends[head] = end.split("   (")[0]
            assert ends == _expected(backward, t), lines


def test_the_steps_parts_add_up_to_the_totals():
    """What the window accumulates while stepping back is trace --grad's total at the end."""
    for doc in (lecture(), lstm_by_hand(), gru_by_hand()):
        backward = backprop(doc.trace())
        for name, total in backward.totals.items():
            if name.startswith("initial"):
                continue
            parts = sum(backward.contribution(t)[name] for t in range(1, backward.trace.T + 1))
            np.testing.assert_allclose(parts, total, rtol=0, atol=1e-15)


def test_a_vanishing_signal_is_not_printed_as_zero():
    from rnn_studio.examples import vanishing

    backward = backprop(vanishing().trace())
    line = next(ln for ln in explain_backward_step(backward, 1) if ln.startswith("∂L/∂s₁"))
    value = backward.d_state[0, 0]
    assert 0 < value < 1e-12
    assert line.endswith(f"= {value:.1e}") and "e-1" in line
    assert gfmt(0.0) == "0" and gfmt(0.25) == "0.25" and gfmt(-3e-7) == "-3.0e-07"
