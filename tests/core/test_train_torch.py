"""Training against torch.optim: every cell × optimizer × clipping, 200 epochs, within 1e-9.

The torch side is written from spec/model.md's mapping alone: torch.nn.RNN / LSTM / GRU in
float64 holding the same weights (bias_hh held at zero, except the GRU's b_nh part), the
masked MSE loss, torch.optim.SGD / Adam and torch.nn.utils.clip_grad_norm_.
"""

from __future__ import annotations

import numpy as np
import pytest

from rnn_studio.core import ModelSpec
from rnn_studio.core.initial import initial_params
from rnn_studio.core.train import TrainConfig, train_all

torch = pytest.importorskip("torch")

EPOCHS = 200
TOL = 1e-9
GATES = {"rnn": [""], "lstm": ["_i", "_f", "_g", "_o"], "gru": ["_r", "_z", "_n"]}
LEARNING_RATES = {"sgd": 0.1, "momentum": 0.05, "adam": 0.01}
CELLS = [("rnn", "tanh"), ("rnn", "relu"), ("lstm", "tanh"), ("gru", "tanh")]


@pytest.fixture(autouse=True)
def one_thread():
    """Tiny tensors: more threads only cost time (restored afterwards)."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def t64(a) -> torch.Tensor:
    return torch.tensor(np.asarray(a, dtype=np.float64), dtype=torch.float64)


class TorchModel:
    """The rnn_studio model in torch, by spec/model.md's mapping."""

    def __init__(self, spec: ModelSpec, params: dict[str, np.ndarray]) -> None:
        d, h = spec.d, spec.h
        self.spec = spec
        if spec.cell == "rnn":
            self.layer = torch.nn.RNN(d, h, nonlinearity=spec.activation, dtype=torch.float64)
        elif spec.cell == "lstm":
            self.layer = torch.nn.LSTM(d, h, dtype=torch.float64)
        else:
            self.layer = torch.nn.GRU(d, h, dtype=torch.float64)
        gates = GATES[spec.cell]
        bias_hh = np.zeros(len(gates) * h)
        if spec.cell == "gru":
            bias_hh[2 * h :] = params["b_nh"]
        with torch.no_grad():
            self.layer.weight_ih_l0.copy_(t64(np.vstack([params["W" + g][:, :d] for g in gates])))
            self.layer.weight_hh_l0.copy_(t64(np.vstack([params["W" + g][:, d:] for g in gates])))
            self.layer.bias_ih_l0.copy_(t64(np.concatenate([params["b" + g] for g in gates])))
            self.layer.bias_hh_l0.copy_(t64(bias_hh))
        # bias_hh is not a parameter of spec/model.md, except the GRU's b_nh rows
        self.layer.bias_hh_l0.requires_grad_(spec.cell == "gru")
        self.readout = {}
        if spec.readout == "linear":
            self.readout = {n: t64(params[n]).requires_grad_(True) for n in ("V", "c")}

    def parameters(self) -> list[torch.Tensor]:
        layer = [p for p in self.layer.parameters() if p.requires_grad]
        return layer + list(self.readout.values())

    def loss(self, x, y, mask, h0, c0) -> torch.Tensor:
        if self.spec.cell == "lstm":
            states, _ = self.layer(x, (h0, c0))
        else:
            states, _ = self.layer(x, h0)
        out = states if not self.readout else states @ self.readout["V"].T + self.readout["c"]
        return ((out - y)[mask] ** 2).mean()

    def mask_gradients(self) -> None:
        """The GRU's bias_hh rows for r and z are held at zero: no gradient there."""
        if self.spec.cell == "gru":
            self.layer.bias_hh_l0.grad[: 2 * self.spec.h] = 0.0

    def params(self) -> dict[str, np.ndarray]:
        """The trained weights under spec/model.md's names."""
        d, h = self.spec.d, self.spec.h
        w_ih = self.layer.weight_ih_l0.detach().numpy()
        w_hh = self.layer.weight_hh_l0.detach().numpy()
        b_ih = self.layer.bias_ih_l0.detach().numpy()
        out = {}
        for n, g in enumerate(GATES[self.spec.cell]):
            rows = slice(n * h, (n + 1) * h)
            out["W" + g] = np.hstack([w_ih[rows], w_hh[rows]])
            out["b" + g] = b_ih[rows]
        if self.spec.cell == "gru":
            out["b_nh"] = self.layer.bias_hh_l0.detach().numpy()[2 * h :]
        out.update({n: p.detach().numpy() for n, p in self.readout.items()})
        assert out["W" + GATES[self.spec.cell][0]].shape == (h, d + h)
        return out


def torch_train(spec, params, inputs, targets, s0, c0, config: TrainConfig):
    model = TorchModel(spec, params)
    if config.optimizer == "adam":
        opt = torch.optim.Adam(model.parameters(), lr=config.learning_rate, betas=(0.9, 0.999))
    elif config.optimizer == "momentum":
        opt = torch.optim.SGD(model.parameters(), lr=config.learning_rate, momentum=config.momentum)
    else:
        opt = torch.optim.SGD(model.parameters(), lr=config.learning_rate)
    mask = torch.tensor(~np.isnan(targets))
    x, y = t64(inputs), t64(np.nan_to_num(targets))
    h0 = t64(s0[None, :])
    c0_t = None if c0 is None else t64(c0[None, :])
    losses = []
    for _ in range(config.epochs):
        opt.zero_grad()
        loss = model.loss(x, y, mask, h0, c0_t)
        losses.append(loss.item())
        loss.backward()
        model.mask_gradients()
        if config.clip:
            torch.nn.utils.clip_grad_norm_(model.parameters(), config.clip)
        opt.step()
    with torch.no_grad():
        losses.append(model.loss(x, y, mask, h0, c0_t).item())
    return losses, model.params()


def generated_case(cell: str, activation: str, seed: int):
    """A small random problem (odd seeds: linear readout, even: identity).

    Kept well-conditioned on purpose: where a run is chaotic (Adam oscillating in a narrow
    valley, a relu unit crossing its kink back and forth) the last-bit differences of any
    two float64 implementations grow past 1e-9 within 200 epochs, which says nothing about
    the update rules. So relu units start active (positive inputs and biases).
    """
    rng = np.random.default_rng(seed)
    readout = "linear" if seed % 2 else "identity"
    d, h = (int(v) for v in rng.integers(1, 4, size=2))
    k = h if readout == "identity" else int(rng.integers(1, 3))
    T = int(rng.integers(2, 7))
    spec = ModelSpec(cell, d, h, k, activation, readout)
    params = initial_params(spec, int(rng.integers(2**31)))
    inputs = rng.normal(size=(T, d))
    if activation == "relu":
        inputs = np.abs(inputs)
        params["b"] = params["b"] + 0.5
    targets = rng.uniform(-0.8, 0.8, size=(T, k))
    targets[rng.random((T, k)) < 0.25] = np.nan
    targets[-1, 0] = 0.5  # at least one target
    s0 = rng.normal(scale=0.3, size=h)
    c0 = rng.normal(scale=0.3, size=h) if cell == "lstm" else None
    return spec, params, inputs, targets, s0, c0


OPTIMIZERS = ["sgd", "momentum", "adam"]
#: one generated case per combination; both readouts for every cell and every optimizer
SEEDS = {
    (cell, activation, optimizer, clip): 1 + (i + j) % 2 + 2 * i
    for i, (cell, activation) in enumerate(CELLS)
    for j, (optimizer, clip) in enumerate((o, c) for o in OPTIMIZERS for c in (None, 0.05))
}


@pytest.mark.parametrize("clip", [None, 0.05], ids=["no-clip", "clip"])
@pytest.mark.parametrize("optimizer", OPTIMIZERS)
@pytest.mark.parametrize(("cell", "activation"), CELLS, ids=[f"{c}-{a}" for c, a in CELLS])
def test_training_agrees_with_torch_optim(cell, activation, optimizer, clip) -> None:
    seed = SEEDS[(cell, activation, optimizer, clip)]
    spec, params, inputs, targets, s0, c0 = generated_case(cell, activation, seed)
    config = TrainConfig(optimizer, LEARNING_RATES[optimizer], EPOCHS, clip=clip)
    ours = train_all(spec, params, inputs, targets, s0, c0, config)
    assert ours.stopped_at is None
    losses, theirs = torch_train(spec, params, inputs, targets, s0, c0, config)
    assert len(ours.losses) == len(losses) == EPOCHS + 1
    np.testing.assert_allclose(ours.losses, losses, rtol=TOL, atol=TOL)
    assert ours.losses[-1] < 0.9 * ours.losses[0]  # it did train
    assert set(ours.params) == set(theirs)
    for name, value in theirs.items():
        np.testing.assert_allclose(ours.params[name], value, rtol=TOL, atol=TOL, err_msg=name)


def test_clipping_is_active_in_the_clipped_cases() -> None:
    """The clip of 0.05 is below the gradient norm at the start of every generated case."""
    from rnn_studio.core import backprop, run
    from rnn_studio.core.optim import grad_norm

    for (cell, activation, _, clip), seed in SEEDS.items():
        if clip:
            spec, params, inputs, targets, s0, c0 = generated_case(cell, activation, seed)
            totals = backprop(run(spec, params, inputs, targets, s0, c0)).totals
            assert grad_norm({n: totals[n] for n in params}) > clip
