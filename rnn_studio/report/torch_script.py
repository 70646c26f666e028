"""``export -o model.py``: a self-contained PyTorch script of the document.

The script needs only torch. It builds the same network with the same weights by
spec/model.md's mapping onto torch.nn.RNN / LSTM / GRU (a small hand-written layer with
torch.nn.RNN's layout where torch has no such nonlinearity: sigmoid, identity), runs the
table through it in float64, and prints one JSON object shaped like
``rnn-studio trace --format json --grad``. It is generated as readable text, the way a
student would write it, with the numbers as exact Python literals (repr round-trips).
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np

from .. import __version__
from ..document import Document

GATES = {"rnn": [""], "lstm": ["i", "f", "g", "o"], "gru": ["r", "z", "n"]}
TORCH_LAYERS = {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU"}


def _literal(value: Any) -> str:
    """A Python literal for a number or nested list; a blank (NaN) target is None."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    if isinstance(value, str):
        return json.dumps(value)  # a valid Python string literal, double-quoted
    v = float(value)
    return "None" if math.isnan(v) else repr(v)


def _rows(name: str, rows: Any) -> str:
    """A matrix as a list literal, one row a line."""
    body = "".join(f"    {_literal(r)},\n" for r in np.asarray(rows).tolist())
    return f"{name} = [\n{body}]\n"


_HEADER = '''#!/usr/bin/env python3
"""{title}: a {what}, exported by RNN Studio {version}.

Needs only PyTorch. Run it with

    python {script}

It builds the network with the project's weights (the mapping of RNN Studio's
spec/model.md onto torch.nn), runs the table below through it in float64, and prints
one JSON object shaped like `rnn-studio trace --format json --grad`: each step's
state and output (with target and error), the loss (the mean of error² over the cells
that have a target, torch.nn.functional.mse_loss), and the gradient of every
parameter by autograd, named as in the project file, with initial_state and inputs
(dL/dx_t, one row per step).
"""

import json
import math

import torch

torch.set_default_dtype(torch.float64)

CELL = {cell}
READOUT = {readout}
INPUT_NAMES = {input_names}
TARGET_NAMES = {target_names}
GATES = {gates}  # the parameter name suffixes, in torch's stacking order

# One row per timestep; None marks a blank target (no target at that step).
'''

_ELMAN = '''

class ElmanRNN(torch.nn.Module):
    """torch.nn.RNN's parameters and arithmetic, for a nonlinearity it does not offer."""

    def __init__(self, d, h, nonlinearity):
        super().__init__()
        self.weight_ih_l0 = torch.nn.Parameter(torch.zeros(h, d))
        self.weight_hh_l0 = torch.nn.Parameter(torch.zeros(h, h))
        self.bias_ih_l0 = torch.nn.Parameter(torch.zeros(h))
        self.bias_hh_l0 = torch.nn.Parameter(torch.zeros(h))
        self.phi = {"sigmoid": torch.sigmoid, "identity": lambda z: z}[nonlinearity]

    def forward(self, x, h0):
        s = h0[0]
        states = []
        for x_t in x:
            z = x_t @ self.weight_ih_l0.T + self.bias_ih_l0 + s @ self.weight_hh_l0.T
            s = self.phi(z + self.bias_hh_l0)
            states.append(s)
        return torch.stack(states), s[None]
'''

_BODY = '''

def build(d, h):
    """The torch layer holding the project's weights (spec/model.md's PyTorch mapping).

    weight_ih_l0 stacks each gate's W[:, :d], weight_hh_l0 its W[:, d:], bias_ih_l0 its
    b; bias_hh_l0 is zero, except the GRU's last block, which is b_nh.
    """
    layer = {layer}
    w_ih = torch.cat([torch.tensor(PARAMS["W" + g])[:, :d] for g in GATES])
    w_hh = torch.cat([torch.tensor(PARAMS["W" + g])[:, d:] for g in GATES])
    b_ih = torch.cat([torch.tensor(PARAMS["b" + g]) for g in GATES])
    b_hh = torch.zeros_like(b_ih)
    if CELL == "gru":
        b_hh[2 * h :] = torch.tensor(PARAMS["b_nh"])
    with torch.no_grad():
        layer.weight_ih_l0.copy_(w_ih)
        layer.weight_hh_l0.copy_(w_hh)
        layer.bias_ih_l0.copy_(b_ih)
        layer.bias_hh_l0.copy_(b_hh)
    return layer


def gradients(layer, readout, h0, c0, x, d, h):
    """Autograd's gradients, named as in the project file."""

    def grad(t):
        return t.grad if t.grad is not None else torch.zeros_like(t)

    g_ih, g_hh = grad(layer.weight_ih_l0), grad(layer.weight_hh_l0)
    gb_ih, gb_hh = grad(layer.bias_ih_l0), grad(layer.bias_hh_l0)
    out = {{}}
    for n, g in enumerate(GATES):
        rows = slice(n * h, (n + 1) * h)
        out["W" + g] = torch.cat([g_ih[rows], g_hh[rows]], dim=1)
        out["b" + g] = gb_ih[rows]
    if CELL == "gru":
        out["b_nh"] = gb_hh[2 * h :]
    for name, tensor in readout.items():
        out[name] = grad(tensor)
    ordered = {{name: out[name] for name in PARAMS}}
    ordered["initial_state"] = grad(h0)[0]
    if c0 is not None:
        ordered["initial_cell"] = grad(c0)[0]
    ordered["inputs"] = grad(x)
    return ordered


def plain(value, blank=None):
    """Nested lists of floats for JSON; a non-finite number or a blank becomes null."""
    if isinstance(value, torch.Tensor):
        value = value.detach().tolist()
        blank = blank.tolist() if isinstance(blank, torch.Tensor) else blank
    if isinstance(value, list):
        blanks = blank if isinstance(blank, list) else [blank] * len(value)
        return [plain(v, b) for v, b in zip(value, blanks)]
    return None if blank or not math.isfinite(value) else value


def main():
    x = torch.tensor(INPUTS, requires_grad=True)
    d, h = x.shape[1], len(INITIAL_STATE)
    layer = build(d, h)
    h0 = torch.tensor([INITIAL_STATE], requires_grad=True)
    if CELL == "lstm":
        c0 = torch.tensor([INITIAL_CELL], requires_grad=True)
        states, _ = layer(x, (h0, c0))
    else:
        c0 = None
        states, _ = layer(x, h0)
    readout = {{}}
    if READOUT == "linear":
        readout = {{n: torch.tensor(PARAMS[n], requires_grad=True) for n in ("V", "c")}}
        outputs = states @ readout["V"].T + readout["c"]
    else:
        outputs = states
    has_target = torch.tensor([[y is not None for y in row] for row in TARGETS])
    y = torch.tensor([[0.0 if v is None else v for v in row] for row in TARGETS])
    errors = outputs - y
    loss = None
    if bool(has_target.any()):
        loss = torch.nn.functional.mse_loss(outputs[has_target], y[has_target])
        loss.backward()
    steps = []
    for i in range(len(INPUTS)):
        steps.append(
            {{
                "t": i + 1,
                "state": plain(states[i]),
                "output": plain(outputs[i]),
                "target": plain(y[i], ~has_target[i]),
                "error": plain(errors[i], ~has_target[i]),
            }}
        )
    result = {{
        "cell": CELL,
        "T": len(INPUTS),
        "d": d,
        "h": h,
        "k": len(TARGET_NAMES),
        "steps": steps,
        "loss": None if loss is None else plain(loss.item()),
        "gradients": {{
            name: plain(g) for name, g in gradients(layer, readout, h0, c0, x, d, h).items()
        }},
    }}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
'''


def _docstring_safe(text: str) -> str:
    """One line that cannot end the script's docstring or start an escape in it."""
    return " ".join(text.split()).replace("\\", "/").replace('"', "'")


def _layer_expression(doc: Document) -> str:
    d, h = doc.d, doc.hidden_size
    if doc.cell == "rnn" and doc.activation not in ("tanh", "relu"):
        return f"ElmanRNN(d, h, {_literal(doc.activation)})  # d = {d}, h = {h}"
    if doc.cell == "rnn":
        return f"torch.nn.RNN(d, h, nonlinearity={_literal(doc.activation)})  # d = {d}, h = {h}"
    return f"torch.nn.{TORCH_LAYERS[doc.cell]}(d, h)  # d = {d}, h = {h}"


def torch_script(doc: Document, title: str = "", script: str = "model.py") -> str:
    """The whole script as text; ``title`` names the project in its docstring."""
    what = {
        "rnn": f"basic RNN ({doc.activation})",
        "lstm": "LSTM",
        "gru": "GRU",
    }[doc.cell] + f", {doc.readout} readout"
    gates = [f"_{g}" if g else "" for g in GATES[doc.cell]]
    out = _HEADER.format(
        title=_docstring_safe(title or "RNN Studio model"),
        what=what,
        version=__version__,
        script=script,
        cell=_literal(doc.cell),
        readout=_literal(doc.readout),
        input_names=_literal(list(doc.input_names)),
        target_names=_literal(list(doc.target_names)),
        gates=_literal(gates),
    )
    out += _rows("INPUTS", doc.inputs) + _rows("TARGETS", doc.targets)
    out += "\n# The weights, named and shaped as in the project file (spec/model.md).\n"
    out += "PARAMS = {\n"
    for ps in doc.param_specs():
        out += f"    {_literal(ps.name)}: {_literal(doc.params[ps.name])},\n"
    out += "}\n"
    out += f"INITIAL_STATE = {_literal(doc.initial_state)}\n"
    cell = _literal(doc.initial_cell) if doc.cell == "lstm" else "None  # an LSTM's c_0"
    out += f"INITIAL_CELL = {cell}\n"
    if doc.cell == "rnn" and doc.activation not in ("tanh", "relu"):
        out += _ELMAN
    return out + _BODY.format(layer=_layer_expression(doc))
