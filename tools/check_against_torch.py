"""Compare rnn_studio with torch.nn.RNN / LSTM / GRU in float64 (values and gradients).

Not a test and not a dependency: run it by hand where PyTorch is installed,

    python tools/check_against_torch.py [--cases 300] [--seed 0]

It builds random models (every cell, tanh and relu for the basic RNN, both readouts,
blank targets, random s_0 and c_0), maps the parameters into PyTorch's layout exactly
as spec/model.md says, and prints the largest differences of the states, outputs,
loss, final cell state and of every gradient (autograd, including h0, c0 and the
inputs, ∂L/∂x_t). It exits with status 1 if a value differs by more than 1e-12 or a
gradient by more than 1e-9 (relative to max(1, |value|)), as spec/model.md requires.

PyTorch's RNN has no sigmoid or identity nonlinearity, so those two activations are
not compared here (the tests compare them with an independent reference instead).
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402

from rnn_studio.core import ModelSpec, backprop, run  # noqa: E402
from rnn_studio.document import initial_params  # noqa: E402

VALUE_TOL = 1e-12
GRAD_TOL = 1e-9
GATES = {"rnn": [""], "lstm": ["i", "f", "g", "o"], "gru": ["r", "z", "n"]}


def t64(a) -> torch.Tensor:
    return torch.tensor(np.asarray(a, dtype=np.float64), dtype=torch.float64)


def build_module(spec: ModelSpec, params: dict[str, np.ndarray]) -> torch.nn.Module:
    """A torch layer holding rnn_studio's parameters, by spec/model.md's mapping."""
    d, h = spec.d, spec.h
    if spec.cell == "rnn":
        layer = torch.nn.RNN(d, h, nonlinearity=spec.activation, dtype=torch.float64)
    elif spec.cell == "lstm":
        layer = torch.nn.LSTM(d, h, dtype=torch.float64)
    else:
        layer = torch.nn.GRU(d, h, dtype=torch.float64)
    suffixes = [f"_{g}" if g else "" for g in GATES[spec.cell]]
    w_ih = np.vstack([params["W" + s][:, :d] for s in suffixes])
    w_hh = np.vstack([params["W" + s][:, d:] for s in suffixes])
    b_ih = np.concatenate([params["b" + s] for s in suffixes])
    b_hh = np.zeros_like(b_ih)
    if spec.cell == "gru":
        b_hh[2 * h :] = params["b_nh"]
    with torch.no_grad():
        layer.weight_ih_l0.copy_(t64(w_ih))
        layer.weight_hh_l0.copy_(t64(w_hh))
        layer.bias_ih_l0.copy_(t64(b_ih))
        layer.bias_hh_l0.copy_(t64(b_hh))
    return layer


def torch_gradients(spec: ModelSpec, layer, readout: dict, h0, c0) -> dict[str, np.ndarray]:
    """Autograd's gradients, mapped back to spec/model.md's parameter names."""
    d, h = spec.d, spec.h
    g_ih = layer.weight_ih_l0.grad.numpy()
    g_hh = layer.weight_hh_l0.grad.numpy()
    gb_ih = layer.bias_ih_l0.grad.numpy()
    gb_hh = layer.bias_hh_l0.grad.numpy()
    out: dict[str, np.ndarray] = {}
    for n, g in enumerate(GATES[spec.cell]):
        s = f"_{g}" if g else ""
        rows = slice(n * h, (n + 1) * h)
        out["W" + s] = np.hstack([g_ih[rows], g_hh[rows]])
        out["b" + s] = gb_ih[rows]
    if spec.cell == "gru":
        out["b_nh"] = gb_hh[2 * h :]
    for name, tensor in readout.items():
        out[name] = tensor.grad.numpy()
    out["initial_state"] = h0.grad.numpy()[0]
    if c0 is not None:
        out["initial_cell"] = c0.grad.numpy()[0]
    assert len(out["W" + (f"_{GATES[spec.cell][0]}" if spec.cell != "rnn" else "")][0]) == d + h
    return out


def random_problem(rng: np.random.Generator):
    cell = rng.choice(["rnn", "rnn", "lstm", "gru"])
    activation = rng.choice(["tanh", "relu"]) if cell == "rnn" else "tanh"
    readout = rng.choice(["identity", "linear"])
    d, h = (int(v) for v in rng.integers(1, 6, size=2))
    k = h if readout == "identity" else int(rng.integers(1, 5))
    T = int(rng.integers(1, 11))
    spec = ModelSpec(str(cell), d, h, k, str(activation), str(readout))
    scale = rng.uniform(0.3, 3.0)
    params = {n: v * scale for n, v in initial_params(spec, int(rng.integers(2**31))).items()}
    inputs = rng.normal(size=(T, d))
    targets = rng.normal(size=(T, k))
    targets[rng.random((T, k)) < rng.choice([0.0, 0.3, 0.8])] = np.nan
    s0 = rng.normal(scale=0.5, size=h)
    c0 = rng.normal(scale=0.5, size=h) if cell == "lstm" else None
    return spec, params, inputs, targets, s0, c0


def compare(spec, params, inputs, targets, s0, c0, worst: dict) -> None:
    trace = run(spec, params, inputs, targets, s0, c0)
    backward = backprop(trace)
    grads = {**backward.totals, "inputs": backward.inputs}

    layer = build_module(spec, params)
    h0 = t64(s0[None, :]).requires_grad_(True)
    c0_t = t64(c0[None, :]).requires_grad_(True) if c0 is not None else None
    x = t64(inputs).requires_grad_(True)
    if spec.cell == "lstm":
        states, (_, c_n) = layer(x, (h0, c0_t))
    else:
        states, _ = layer(x, h0)
        c_n = None
    readout: dict[str, torch.Tensor] = {}
    if spec.readout == "linear":
        readout = {n: t64(params[n]).requires_grad_(True) for n in ("V", "c")}
        outputs = states @ readout["V"].T + readout["c"]
    else:
        outputs = states
    mask = torch.tensor(~np.isnan(targets))
    if bool(mask.any()):
        y = t64(np.nan_to_num(targets))
        loss = torch.nn.functional.mse_loss(outputs[mask], y[mask])
        loss.backward()
        expected_grads = torch_gradients(spec, layer, readout, h0, c0_t)
        expected_grads["inputs"] = x.grad.numpy()
        assert trace.loss is not None
        note(worst, "value", "loss", trace.loss, loss.item())
    else:
        assert trace.loss is None
        expected_grads = {n: np.zeros_like(g) for n, g in grads.items()}

    note(worst, "value", "states", trace.states[1:], states.detach().numpy())
    note(worst, "value", "outputs", trace.outputs, outputs.detach().numpy())
    if c_n is not None:
        note(worst, "value", "final cell c_T", trace.cells[-1], c_n.detach().numpy()[0])
    assert set(grads) == set(expected_grads), (set(grads), set(expected_grads))
    for name, g in grads.items():
        note(worst, "gradient", f"{spec.cell} ∂L/∂{name}", g, expected_grads[name])


def note(worst: dict, kind: str, what: str, ours, theirs) -> None:
    ours, theirs = np.asarray(ours, dtype=np.float64), np.asarray(theirs, dtype=np.float64)
    assert ours.shape == theirs.shape, (what, ours.shape, theirs.shape)
    diff = np.abs(ours - theirs)
    rel = diff / np.maximum(1.0, np.abs(theirs))
    entry = worst[(kind, what)]
    entry[0] = max(entry[0], float(diff.max(initial=0.0)))
    entry[1] = max(entry[1], float(rel.max(initial=0.0)))
    entry[2] += 1


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    worst: dict = defaultdict(lambda: [0.0, 0.0, 0])
    kinds: dict[str, int] = defaultdict(int)
    for _ in range(args.cases):
        spec, params, inputs, targets, s0, c0 = random_problem(rng)
        label = spec.cell + (f"/{spec.activation}" if spec.cell == "rnn" else "")
        kinds[f"{label}, {spec.readout}"] += 1
        compare(spec, params, inputs, targets, s0, c0, worst)

    print(f"rnn_studio vs torch {torch.__version__} (float64), {args.cases} random cases")
    print("  " + ", ".join(f"{k}: {n}" for k, n in sorted(kinds.items())))
    print(f"  {'compared':34} {'max |diff|':>11} {'max rel':>11} {'cases':>6}")
    failed = False
    for (kind, what), (diff, rel, n) in sorted(worst.items()):
        tol = VALUE_TOL if kind == "value" else GRAD_TOL
        flag = "ok" if rel <= tol else "FAIL"
        failed |= rel > tol
        print(f"  {kind + ' ' + what:34} {diff:11.3e} {rel:11.3e} {n:6d}  {flag}")
    values = max(v[1] for (k, _), v in worst.items() if k == "value")
    gradients = max(v[1] for (k, _), v in worst.items() if k == "gradient")
    print(
        f"max relative difference: values {values:.3e} (tol {VALUE_TOL:g}), "
        f"gradients {gradients:.3e} (tol {GRAD_TOL:g})"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
