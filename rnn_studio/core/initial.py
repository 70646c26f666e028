"""Starting weights for a model: uniform in ±1/√h, as PyTorch initialises its recurrent layers."""

from __future__ import annotations

import math

import numpy as np

from .trace import ModelSpec


def initial_params(spec: ModelSpec, seed: int = 0) -> dict[str, np.ndarray]:
    """Every parameter of ``spec`` drawn uniformly from ±1/√h with ``seed``.

    The same seed gives the same weights on every machine (numpy's PCG64 generator),
    drawn parameter by parameter in file order.
    """
    rng = np.random.default_rng(seed)
    bound = 1.0 / math.sqrt(spec.h)
    return {ps.name: rng.uniform(-bound, bound, size=ps.shape) for ps in spec.param_specs()}
