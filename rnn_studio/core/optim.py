"""PyTorch's optimizers and gradient clipping as plain numpy updates (spec/model.md, Training).

Each rule is written in the order torch 2.x computes it on the CPU (the single-tensor path
of ``torch.optim.SGD`` and ``torch.optim.Adam``, and ``torch.nn.utils.clip_grad_norm_``),
so that the same gradients give the same numbers to the last few bits and a run of
hundreds of epochs stays within 1e-9 of torch.optim.

An optimizer never changes the arrays it is given: ``step`` returns new parameter arrays
and keeps its own state (momentum buffers, Adam's moments), so the caller may hand the
returned arrays out (e.g. as a training run's progress) without copying them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

OPTIMIZERS = ("sgd", "momentum", "adam")

Arrays = Mapping[str, np.ndarray]

#: Adam's constants, as torch.optim.Adam's defaults
ADAM_BETAS = (0.9, 0.999)
ADAM_EPS = 1e-8
#: what clip_grad_norm_ adds to the norm before dividing
CLIP_EPS = 1e-6


class Optimizer:
    """One optimizer run: call ``step`` once per epoch with that epoch's gradients."""

    name: str = ""

    def __init__(self, lr: float) -> None:
        if not (isinstance(lr, int | float) and math.isfinite(lr) and lr > 0):
            raise ValueError(f"the learning rate must be a number > 0, got {lr!r}")
        self.lr = float(lr)

    def step(self, params: Arrays, grads: Arrays) -> dict[str, np.ndarray]:
        """The parameters after one update (new arrays; ``params`` is left as it is)."""
        raise NotImplementedError


class SGD(Optimizer):
    """θ ← θ − lr·g (``torch.optim.SGD(params, lr)``)."""

    name = "sgd"

    def step(self, params: Arrays, grads: Arrays) -> dict[str, np.ndarray]:
        lr = self.lr
        return {n: p - lr * grads[n] for n, p in params.items()}


class Momentum(Optimizer):
    """Heavy-ball SGD, torch's form: buf ← g on the first step, then buf ← β·buf + g;
    θ ← θ − lr·buf (``torch.optim.SGD(params, lr, momentum=β)``, dampening 0, not Nesterov)."""

    name = "momentum"

    def __init__(self, lr: float, momentum: float = 0.9) -> None:
        super().__init__(lr)
        if not (isinstance(momentum, int | float) and 0.0 <= momentum < 1.0):
            raise ValueError(f"the momentum must be a number in [0, 1), got {momentum!r}")
        self.momentum = float(momentum)
        self._buffers: dict[str, np.ndarray] = {}

    def step(self, params: Arrays, grads: Arrays) -> dict[str, np.ndarray]:
        lr, beta, buffers = self.lr, self.momentum, self._buffers
        out = {}
        for n, p in params.items():
            buf = buffers.get(n)
            if buf is None:
                buf = buffers[n] = np.array(grads[n], dtype=np.float64, copy=True)
            else:
                buf *= beta
                buf += grads[n]
            out[n] = p - lr * buf
        return out


class Adam(Optimizer):
    """``torch.optim.Adam(params, lr, betas=(0.9, 0.999), eps=1e-8)``, no weight decay:

        m ← m + (1 − β₁)(g − m)          (torch's lerp; the same as β₁m + (1 − β₁)g)
        v ← β₂v + (1 − β₂)g²
        θ ← θ − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)

    with t the step count from 1; ε is added after the bias correction of √v, as torch does.
    """

    name = "adam"

    def __init__(self, lr: float) -> None:
        super().__init__(lr)
        self._t = 0
        self._m: dict[str, np.ndarray] = {}
        self._v: dict[str, np.ndarray] = {}

    def step(self, params: Arrays, grads: Arrays) -> dict[str, np.ndarray]:
        beta1, beta2 = ADAM_BETAS
        self._t += 1
        t = self._t
        step_size = self.lr / (1 - beta1**t)
        bias_correction2_sqrt = (1 - beta2**t) ** 0.5
        weight1, weight2 = 1 - beta1, 1 - beta2
        out = {}
        for n, p in params.items():
            g = grads[n]
            m = self._m.get(n)
            if m is None:
                m = self._m[n] = np.zeros_like(p, dtype=np.float64)
                self._v[n] = np.zeros_like(p, dtype=np.float64)
            v = self._v[n]
            m += weight1 * (g - m)
            v *= beta2
            v += weight2 * (g * g)
            denom = np.sqrt(v)
            denom /= bias_correction2_sqrt
            denom += ADAM_EPS
            out[n] = p + (-step_size) * (m / denom)
        return out


def make_optimizer(name: str, lr: float, momentum: float = 0.9) -> Optimizer:
    """A fresh optimizer by its name in OPTIMIZERS (``momentum`` is used by "momentum" only)."""
    if name == "sgd":
        return SGD(lr)
    if name == "momentum":
        return Momentum(lr, momentum)
    if name == "adam":
        return Adam(lr)
    raise ValueError(f"unknown optimizer {name!r}; expected one of {', '.join(OPTIMIZERS)}")


def grad_norm(grads: Arrays) -> float:
    """‖g‖ over every gradient together, computed as torch does (the norm of the norms).

    Not finite only when an entry is: when the squares overflow (entries beyond ~1e154)
    the norm is computed again with the entries scaled by the largest of them.
    """
    norms = [math.sqrt(float(np.vdot(g, g))) for g in grads.values()]
    total = math.sqrt(math.fsum(n * n for n in norms)) if len(norms) != 1 else norms[0]
    if math.isinf(total):
        biggest = max((float(np.max(np.abs(g))) for g in grads.values() if g.size), default=0.0)
        if math.isfinite(biggest):
            squares = math.fsum(float(np.vdot(g / biggest, g / biggest)) for g in grads.values())
            total = biggest * math.sqrt(squares)
    return total


def clip_grad_norm(grads: Arrays, max_norm: float) -> tuple[dict[str, np.ndarray], float]:
    """``torch.nn.utils.clip_grad_norm_`` without touching ``grads``: (clipped, norm before).

    Every gradient is multiplied by max_norm / (‖g‖ + 1e-6) when that is below 1; otherwise
    the gradients come back as they are (the same arrays, not copies).
    """
    total = grad_norm(grads)
    return clip_scaled(grads, max_norm, total), total


def clip_scaled(grads: Arrays, max_norm: float, total: float) -> dict[str, np.ndarray]:
    """``clip_grad_norm`` for gradients whose total norm ``total`` is already known."""
    scale = max_norm / (total + CLIP_EPS)
    if scale < 1.0:
        return {n: g * scale for n, g in grads.items()}
    return dict(grads)
