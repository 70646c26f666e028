"""∂L/∂x (gradients.inputs) and the weight gradients against PyTorch's autograd."""

from __future__ import annotations

import numpy as np
import pytest
from reference import random_case, to_torch_layout

from rnn_studio.core import ModelSpec, backprop, loss_and_gradients, run

torch = pytest.importorskip("torch")

MODULES = {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU"}


def torch_gradients(case):
    """x.grad, s_0.grad and the weight_hh grad of torch.nn.RNN/LSTM/GRU with the same weights."""
    torch.set_num_threads(1)
    layout = to_torch_layout(case.cell, case.params, case.d, case.h)
    module = getattr(torch.nn, MODULES[case.cell])(case.d, case.h).double()
    with torch.no_grad():
        module.weight_ih_l0.copy_(torch.tensor(np.real(np.array(layout.w_ih, dtype=complex))))
        module.weight_hh_l0.copy_(torch.tensor(np.real(np.array(layout.w_hh, dtype=complex))))
        module.bias_ih_l0.copy_(torch.tensor(np.real(np.array(layout.b_ih, dtype=complex))))
        module.bias_hh_l0.copy_(torch.tensor(np.real(np.array(layout.b_hh, dtype=complex))))
    x = torch.tensor(case.inputs[:, None, :], requires_grad=True)
    s0 = torch.tensor(case.initial_state[None, None, :], requires_grad=True)
    start = s0
    if case.cell == "lstm":
        start = (s0, torch.tensor(case.cell_start[None, None, :]))
    out, _ = module(x, start)
    states = out[:, 0, :]
    y_hat = states
    if case.readout == "linear":
        y_hat = states @ torch.tensor(case.params["V"]).T + torch.tensor(case.params["c"])
    y = torch.tensor(case.targets)
    mask = ~torch.isnan(y)
    loss = ((y_hat - torch.nan_to_num(y))[mask] ** 2).mean()
    loss.backward()
    return loss.item(), x.grad[:, 0, :].numpy(), s0.grad[0, 0].numpy(), module.weight_hh_l0.grad


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("readout", ["identity", "linear"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_input_and_state_gradients_match_torch(cell, readout, seed):
    case = random_case(seed, cell, readout=readout, d=3, h=4, k=2, T=9, blank=0.3)
    spec = ModelSpec(case.cell, case.d, case.h, case.k, case.activation, case.readout)
    trace = run(spec, case.params, case.inputs, case.targets, case.initial_state, case.cell_start)
    grads = backprop(trace)
    loss, x_grad, s0_grad, w_hh_grad = torch_gradients(case)
    assert trace.loss == pytest.approx(loss, rel=1e-12)
    np.testing.assert_allclose(grads.inputs, x_grad, rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(grads.totals["initial_state"], s0_grad, rtol=1e-10, atol=1e-13)
    _, fused = loss_and_gradients(
        spec, case.params, case.inputs, case.targets, case.initial_state, case.cell_start
    )
    names = {"rnn": ["W"], "lstm": ["W_i", "W_f", "W_g", "W_o"], "gru": ["W_r", "W_z", "W_n"]}
    ours = np.vstack([fused[n][:, case.d :] for n in names[cell]])
    np.testing.assert_allclose(ours, w_hh_grad.numpy(), rtol=1e-10, atol=1e-13)
