"""Speed and memory of the numerical core (rnn_studio.core), with PyTorch beside it.

    python -m benchmarks.bench_core              # or: python benchmarks/bench_core.py
    python -m benchmarks.bench_core --quick      # fewer repeats, no T = 100,000 line

It prints medians of:

- forward, and forward + backward, at T = 1,000, d = 4, h = 8 (one target per step
  through a linear readout) for every cell: ``run`` (the trace the window shows), the
  fused ``loss_and_gradients`` (the training path) and ``backprop(run(...))`` (the
  window's backward with every per-step piece). Where torch is importable (the optional
  ``bench`` extra), torch.nn.RNN / LSTM / GRU in float64 on one thread with the same
  weights (spec/model.md's mapping), timed interleaved with ours in the same run, and
  the ratio torch / ours;
- T = 100,000, h = 32: time and peak memory of forward + backward, each in a fresh
  subprocess; the peak is the resident set's high-water mark over the call (Linux's
  VmHWM, reset just before it) minus the resident set before it, so numpy's buffers
  and everything else count. (``ru_maxrss`` would not do: Linux keeps the parent's
  high-water mark across fork and exec.) Elsewhere it falls back to ``ru_maxrss``;
- training epochs per second: the lecture (and the time until its loss is below 1e-4)
  and a T = 1,000 sequence;
- the 101 × 101 loss landscape at T = 100, h = 4.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from rnn_studio.core import ModelSpec, run  # noqa: E402
from rnn_studio.core.landscape import default_range, landscape, parse_entry  # noqa: E402

try:
    from rnn_studio.core.initial import initial_params
except ImportError:  # before core/initial.py (branch core-train) is merged
    from rnn_studio.document import initial_params

try:
    from rnn_studio.core.backward import backprop, loss_and_gradients
except ImportError:  # before core/backward.py (branch core-backward) is merged
    backprop = loss_and_gradients = None

try:
    from rnn_studio.core.train import TrainConfig, train_all
except ImportError:  # before core/train.py (branch core-train) is merged
    TrainConfig = train_all = None

CELLS = ("rnn", "lstm", "gru")
GATES = {"rnn": [""], "lstm": ["_i", "_f", "_g", "_o"], "gru": ["_r", "_z", "_n"]}
TARGET_RATIO = 5.0  # forward + backward at T = 1,000: at least 5× faster than torch
TARGET_PEAK_MB = 300.0  # forward + backward at T = 100,000, h = 32
TARGET_LANDSCAPE_S = 0.3  # 101 × 101 at T = 100, h = 4
TARGET_LECTURE_S = 0.2  # the lecture trained to a loss below 1e-4


def problem(cell: str, T: int, d: int, h: int, seed: int = 0):
    """A model and a sequence: one target per step through a linear readout."""
    spec = ModelSpec(cell, d, h, 1, "tanh", "linear")
    rng = np.random.default_rng(seed)
    inputs = rng.uniform(-1, 1, (T, d))
    targets = np.sin(np.arange(T) * 0.3)[:, None]
    s0 = rng.normal(scale=0.5, size=h)
    return spec, initial_params(spec, seed), inputs, targets, s0


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def interleaved(fns: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """Median ms of each function, called in turn so that load changes hit all alike."""
    for fn in fns.values():
        fn()  # warm up
    samples: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            samples[name].append(time.perf_counter() - t0)
    return {name: median_ms(s) for name, s in samples.items()}


# -- PyTorch ----------------------------------------------------------------------------


def import_torch():
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    return torch


def torch_model(torch, spec: ModelSpec, params: dict[str, np.ndarray]):
    """torch's layer holding our weights, by spec/model.md's mapping (as in
    tools/check_against_torch.py), and the readout as two tensors."""
    d, h = spec.d, spec.h
    kinds = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}
    extra = {"nonlinearity": spec.activation} if spec.cell == "rnn" else {}
    layer = kinds[spec.cell](d, h, dtype=torch.float64, **extra)
    suffixes = GATES[spec.cell]
    b_hh = np.zeros(len(suffixes) * h)
    if spec.cell == "gru":
        b_hh[2 * h :] = params["b_nh"]
    with torch.no_grad():
        layer.weight_ih_l0.copy_(
            torch.tensor(np.vstack([params["W" + s][:, :d] for s in suffixes]))
        )
        layer.weight_hh_l0.copy_(
            torch.tensor(np.vstack([params["W" + s][:, d:] for s in suffixes]))
        )
        layer.bias_ih_l0.copy_(torch.tensor(np.concatenate([params["b" + s] for s in suffixes])))
        layer.bias_hh_l0.copy_(torch.tensor(b_hh))
    V = torch.tensor(params["V"], requires_grad=True)
    c = torch.tensor(params["c"], requires_grad=True)
    return layer, V, c


def torch_runner(torch, spec, params, inputs, targets, s0):
    """(forward, forward + backward) closures for torch on the same problem."""
    layer, V, c = torch_model(torch, spec, params)
    x = torch.tensor(inputs)
    y = torch.tensor(targets)
    h0 = torch.tensor(s0[None, :])
    start = (h0, torch.zeros_like(h0)) if spec.cell == "lstm" else h0
    leaves = [*layer.parameters(), V, c]

    def loss():
        states, _ = layer(x, start)
        return torch.nn.functional.mse_loss(states @ V.T + c, y)

    def forward():
        with torch.no_grad():
            return loss().item()

    def forward_backward():
        for leaf in leaves:
            leaf.grad = None
        value = loss()
        value.backward()
        return value.item()

    return forward, forward_backward


def ours(spec, params, inputs, targets, s0, c0) -> dict[str, Callable[[], object]]:
    """Our forward, and our two forward + backward paths, as closures."""
    fns: dict[str, Callable[[], object]] = {
        "forward (run: the trace)": lambda: run(spec, params, inputs, targets, s0, c0),
    }
    if loss_and_gradients is not None:
        fns["fwd + bwd (fused)"] = lambda: loss_and_gradients(spec, params, inputs, targets, s0, c0)
        fns["fwd + bwd (trace + backprop)"] = lambda: backprop(
            run(spec, params, inputs, targets, s0, c0)
        )
    return fns


# -- the sections -----------------------------------------------------------------------


def bench_speed(repeats: int) -> None:
    torch = import_torch()
    print("\nforward and forward + backward, T = 1,000, d = 4, h = 8, k = 1 (linear), tanh")
    if torch is None:
        print("  (torch is not importable: no comparison; pip install -e .[bench])")
    else:
        print(f"  torch {torch.__version__}, float64, torch.set_num_threads(1), interleaved")
    if loss_and_gradients is None:
        print("  (rnn_studio.core.backward is not there yet: forward only)")
    head = f"  {'cell':5s} {'':28s} {'ours ms':>8s} {'torch ms':>9s} {'torch/ours':>11s}"
    print(head)
    for cell in CELLS:
        spec, params, inputs, targets, s0 = problem(cell, 1000, 4, 8)
        c0 = np.zeros(8) if cell == "lstm" else None
        fns = ours(spec, params, inputs, targets, s0, c0)
        theirs: dict[str, str] = {}
        if torch is not None:
            forward, forward_backward = torch_runner(torch, spec, params, inputs, targets, s0)
            fns["torch forward"] = forward
            fns["torch fwd + bwd"] = forward_backward
            theirs = {
                "forward (run: the trace)": "torch forward",
                "fwd + bwd (fused)": "torch fwd + bwd",
                "fwd + bwd (trace + backprop)": "torch fwd + bwd",
            }
        ms = interleaved(fns, repeats)
        for name in [n for n in fns if not n.startswith("torch")]:
            other = theirs.get(name)
            if other is None:
                print(f"  {cell:5s} {name:28s} {ms[name]:8.2f}")
                continue
            ratio = ms[other] / ms[name]
            note = ""
            if name == "fwd + bwd (fused)":
                note = "  ok" if ratio >= TARGET_RATIO else f"  (target ≥ {TARGET_RATIO:g}×)"
            print(f"  {cell:5s} {name:28s} {ms[name]:8.2f} {ms[other]:9.2f} {ratio:10.1f}×{note}")


def child(cell: str, path: str, T: int, h: int) -> None:
    """In a fresh process: one forward + backward, its time and its peak memory growth."""
    spec, params, inputs, targets, s0 = problem(cell, T, 4, h)
    c0 = np.zeros(h) if cell == "lstm" else None
    small = problem(cell, 50, 4, h)
    _call(path, *small[:4], small[4], c0)  # load every code path first
    before = _rss_before()
    t0 = time.perf_counter()
    _call(path, spec, params, inputs, targets, s0, c0)
    seconds = time.perf_counter() - t0
    print(json.dumps({"seconds": seconds, "peak_mb": (_peak_rss() - before) / 1024}))


def _status_kb(key: str) -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def _rss_before() -> int:
    """The resident set now (kB), with Linux's high-water mark reset to it.

    Not ``ru_maxrss``: Linux carries the parent's high-water mark over fork and exec,
    so a child started by this (large) benchmark would report the parent's peak.
    """
    try:
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to VmRSS
        rss = _status_kb("VmRSS")
        if rss is not None:
            return rss
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _peak_rss() -> int:
    """The resident set's high-water mark (kB) since ``_rss_before``."""
    peak = _status_kb("VmHWM")
    return peak if peak is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _call(path, spec, params, inputs, targets, s0, c0):
    if path == "fused":
        return loss_and_gradients(spec, params, inputs, targets, s0, c0)
    if path == "trace":
        return backprop(run(spec, params, inputs, targets, s0, c0)).totals
    return run(spec, params, inputs, targets, s0, c0)


def bench_long(T: int = 100_000, h: int = 32) -> None:
    print(f"\nT = {T:,}, d = 4, h = {h}: one call in a fresh process each")
    print("  (peak = the resident set's high-water mark over the call minus the resident set")
    print("   before it: /proc/self/status VmHWM after a reset, numpy's buffers included)")
    paths = ["forward"] + (["fused", "trace"] if loss_and_gradients is not None else [])
    names = {"forward": "forward (run)", "fused": "fwd + bwd (fused)", "trace": "trace + backprop"}
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    for cell in CELLS:
        for path in paths:
            command = [sys.executable, "-m", "benchmarks.bench_core", "--child", cell, path]
            command += [str(T), str(h)]
            out = subprocess.run(command, capture_output=True, text=True, env=env, cwd=_root())
            if out.returncode != 0:
                print(
                    f"  {cell:5s} {names[path]:20s} failed: {out.stderr.strip().splitlines()[-1]}"
                )
                continue
            r = json.loads(out.stdout.strip().splitlines()[-1])
            note = ""
            if path == "fused":
                ok = r["peak_mb"] < TARGET_PEAK_MB
                note = "  ok" if ok else f"  (target < {TARGET_PEAK_MB:g} MB)"
            seconds, peak = r["seconds"], r["peak_mb"]
            print(f"  {cell:5s} {names[path]:20s} {seconds:7.2f} s   peak {peak:7.0f} MB{note}")


def _root() -> str:
    return str(Path(__file__).resolve().parents[1])


def bench_training(repeats: int) -> None:
    print("\ntraining (full batch, one epoch = forward + backward + update)")
    if train_all is None:
        print("  (rnn_studio.core.train is not there yet: skipped)")
        return
    from rnn_studio.examples import lecture

    doc = lecture()
    spec = ModelSpec(
        doc.cell,
        doc.inputs.shape[1],
        doc.hidden_size,
        doc.targets.shape[1],
        doc.activation,
        doc.readout,
    )
    for optimizer, lr in (("sgd", 0.5), ("adam", 0.05)):
        config = TrainConfig(optimizer=optimizer, learning_rate=lr, epochs=500)
        times, result = [], None
        for _ in range(repeats):
            t0 = time.perf_counter()
            result = train_all(
                spec, doc.params, doc.inputs, doc.targets, doc.initial_state, None, config
            )
            times.append(time.perf_counter() - t0)
        seconds = statistics.median(times)
        below = next((i for i, v in enumerate(result.losses) if v is not None and v < 1e-4), None)
        if below is None:
            reach = f"loss {result.losses[-1]:.2g} after 500 epochs"
        else:
            t = seconds * below / 500
            verdict = "ok" if t < TARGET_LECTURE_S else f"target < {TARGET_LECTURE_S:g} s"
            reach = f"loss < 1e-4 after {below} epochs, {t * 1000:.1f} ms ({verdict})"
        print(f"  lecture, {optimizer} lr {lr:<5g} {500 / seconds:9.0f} epochs/s   {reach}")
    for cell in CELLS:
        spec, params, inputs, targets, s0 = problem(cell, 1000, 4, 8)
        config = TrainConfig(optimizer="adam", learning_rate=0.01, epochs=20)
        times = []
        for _ in range(max(1, repeats // 2)):
            t0 = time.perf_counter()
            train_all(spec, params, inputs, targets, s0, None, config)
            times.append(time.perf_counter() - t0)
        rate = 20 / statistics.median(times)
        print(f"  T = 1,000, d = 4, h = 8, {cell:4s} adam {rate:9.0f} epochs/s")


def bench_landscape(repeats: int) -> None:
    print("\nloss landscape, 101 × 101 grid, T = 100, d = 2, h = 4, k = 1 (linear)")
    print("  wall time, and the process's CPU time (what it takes when a core is free)")
    cases = [
        ("rnn", "tanh", "W:0:3", "b:1"),
        ("rnn", "relu", "W:0:3", "b:1"),
        ("lstm", "tanh", "W_f:0:3", "b_f:1"),
        ("gru", "tanh", "W_z:0:3", "b_z:1"),
    ]
    for cell, activation, x_text, y_text in cases:
        spec = ModelSpec(cell, 2, 4, 1, activation, "linear")
        _, params, inputs, targets, s0 = problem(cell, 100, 2, 4)
        x, y = parse_entry(x_text, spec), parse_entry(y_text, spec)
        xs = np.linspace(*default_range(params, x), 101)
        ys = np.linspace(*default_range(params, y), 101)
        c0 = np.zeros(4) if cell == "lstm" else None
        times, cpu = [], []
        for _ in range(repeats):
            t0, c_0 = time.perf_counter(), time.process_time()
            grid = landscape(spec, params, inputs, targets, s0, c0, x, y, xs, ys)
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c_0)
        seconds = statistics.median(times)
        verdict = "ok" if seconds < TARGET_LANDSCAPE_S else f"target < {TARGET_LANDSCAPE_S:g} s"
        finite = "" if np.isfinite(grid).all() else "  (non-finite values)"
        label = f"{cell} {activation}" if cell == "rnn" else cell
        ms, cpu_ms = seconds * 1000, median_ms(cpu)
        print(
            f"  {label:9s} x = {x_text:7s} y = {y_text:5s} {ms:5.0f} ms (CPU {cpu_ms:3.0f} ms)"
            f"  ({verdict}){finite}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_core")
    parser.add_argument("--quick", action="store_true", help="fewer repeats, no T = 100,000")
    parser.add_argument(
        "--child", nargs=4, metavar=("CELL", "PATH", "T", "H"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.child:
        cell, path, T, h = args.child
        child(cell, path, int(T), int(h))
        return 0
    repeats = 5 if args.quick else 15
    print(f"Python {sys.version.split()[0]}, numpy {np.__version__}, {os.cpu_count()} CPUs")
    bench_speed(repeats)
    if not args.quick:
        bench_long()
    bench_training(3 if args.quick else 5)
    bench_landscape(3 if args.quick else 7)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
