"""Each optimizer against its rule written out by hand, one scalar at a time, and clipping."""

from __future__ import annotations

import math

import numpy as np
import pytest

from rnn_studio.core.optim import OPTIMIZERS, clip_grad_norm, grad_norm, make_optimizer

PARAMS = {"W": np.array([[0.7, 0.3, 0.4]]), "b": np.array([0.4])}
#: four steps of made-up gradients, different signs and sizes
GRADS = [
    {"W": np.array([[0.0793, 0.1535, 0.0456]]), "b": np.array([0.2762])},
    {"W": np.array([[-0.5, 0.02, 1.5]]), "b": np.array([-0.1])},
    {"W": np.array([[0.0, -2.0, 0.3]]), "b": np.array([0.0])},
    {"W": np.array([[1e-3, 0.25, -0.75]]), "b": np.array([3.0])},
]


def flat(arrays: dict[str, np.ndarray]) -> list[float]:
    return [float(v) for name in ("W", "b") for v in arrays[name].ravel()]


def run_optimizer(name: str, lr: float, momentum: float = 0.9) -> list[list[float]]:
    opt = make_optimizer(name, lr, momentum)
    params = PARAMS
    out = []
    for grads in GRADS:
        params = opt.step(params, grads)
        out.append(flat(params))
    return out


def test_sgd_is_theta_minus_lr_g() -> None:
    lr = 0.3
    theta = flat(PARAMS)
    expected = []
    for grads in GRADS:
        theta = [p - lr * g for p, g in zip(theta, flat(grads), strict=True)]
        expected.append(theta)
    assert run_optimizer("sgd", lr) == expected


@pytest.mark.parametrize("beta", [0.9, 0.5, 0.0])
def test_momentum_keeps_a_velocity_started_at_the_first_gradient(beta: float) -> None:
    lr = 0.2
    theta = flat(PARAMS)
    velocity: list[float] | None = None
    expected = []
    for grads in GRADS:
        g = flat(grads)
        if velocity is None:
            velocity = list(g)  # torch: buf = g on the first step (no (1 − dampening))
        else:
            velocity = [beta * v + gi for v, gi in zip(velocity, g, strict=True)]
        theta = [p - lr * v for p, v in zip(theta, velocity, strict=True)]
        expected.append(theta)
    assert run_optimizer("momentum", lr, beta) == expected


def test_momentum_zero_is_plain_sgd() -> None:
    assert run_optimizer("momentum", 0.2, 0.0) == run_optimizer("sgd", 0.2)


def test_adam_with_bias_corrections_and_eps_outside_the_root() -> None:
    lr, b1, b2, eps = 0.1, 0.9, 0.999, 1e-8
    theta = flat(PARAMS)
    m = [0.0] * len(theta)
    v = [0.0] * len(theta)
    expected = []
    for t, grads in enumerate(GRADS, start=1):
        new = []
        for i, g in enumerate(flat(grads)):
            m[i] = b1 * m[i] + (1 - b1) * g
            v[i] = b2 * v[i] + (1 - b2) * g * g
            m_hat = m[i] / (1 - b1**t)
            v_hat = v[i] / (1 - b2**t)
            new.append(theta[i] - lr * m_hat / (math.sqrt(v_hat) + eps))
        theta = new
        expected.append(theta)
    got = run_optimizer("adam", lr)
    # the textbook form and torch's form (lerp, folded step size) differ in the last bits
    np.testing.assert_allclose(got, expected, rtol=1e-14, atol=1e-15)


def test_adam_first_step_moves_every_entry_by_about_lr() -> None:
    opt = make_optimizer("adam", 0.01)
    new = opt.step(PARAMS, GRADS[0])
    moved = np.array(flat(PARAMS)) - np.array(flat(new))
    np.testing.assert_allclose(moved, 0.01, rtol=1e-6)  # m̂/√v̂ = sign(g) = 1 on step 1


def test_adam_zero_gradient_does_not_move() -> None:
    opt = make_optimizer("adam", 0.5)
    zeros = {n: np.zeros_like(a) for n, a in PARAMS.items()}
    assert flat(opt.step(PARAMS, zeros)) == flat(PARAMS)


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_step_never_changes_its_inputs(name: str) -> None:
    params = {n: a.copy() for n, a in PARAMS.items()}
    grads = {n: a.copy() for n, a in GRADS[0].items()}
    opt = make_optimizer(name, 0.1)
    first = opt.step(params, grads)
    opt.step(first, grads)
    assert flat(params) == flat(PARAMS)
    assert flat(grads) == flat(GRADS[0])
    assert all(first[n] is not params[n] for n in params)


def test_two_optimizers_keep_their_own_state() -> None:
    a, b = make_optimizer("momentum", 0.1), make_optimizer("momentum", 0.1)
    a.step(PARAMS, GRADS[0])
    assert flat(b.step(PARAMS, GRADS[1])) == flat(make_optimizer("sgd", 0.1).step(PARAMS, GRADS[1]))


@pytest.mark.parametrize(
    ("name", "lr", "momentum", "words"),
    [
        ("rmsprop", 0.1, 0.9, ["unknown optimizer", "rmsprop", "sgd, momentum, adam"]),
        ("sgd", 0.0, 0.9, ["learning rate", "> 0"]),
        ("adam", -1.0, 0.9, ["learning rate"]),
        ("sgd", math.inf, 0.9, ["learning rate"]),
        ("momentum", 0.1, 1.0, ["momentum", "[0, 1)"]),
        ("momentum", 0.1, -0.1, ["momentum"]),
    ],
)
def test_bad_settings_are_refused(name: str, lr: float, momentum: float, words: list[str]) -> None:
    with pytest.raises(ValueError) as err:
        make_optimizer(name, lr, momentum)
    for word in words:
        assert word in str(err.value)


# -- clipping ---------------------------------------------------------------------------
def test_grad_norm_is_over_all_parameters_together() -> None:
    grads = {"W": np.array([[3.0, 0.0]]), "b": np.array([4.0])}
    assert grad_norm(grads) == 5.0
    assert grad_norm({"b": np.array([-2.0])}) == 2.0


def test_clip_below_the_max_leaves_the_gradients_alone() -> None:
    grads = {"W": np.array([[3.0, 0.0]]), "b": np.array([4.0])}
    clipped, norm = clip_grad_norm(grads, 5.0)  # 5 / (5 + 1e-6) < 1: torch still scales
    assert norm == 5.0
    np.testing.assert_allclose(clipped["b"], 4.0 * 5.0 / (5.0 + 1e-6), rtol=0, atol=0)
    clipped, norm = clip_grad_norm(grads, 10.0)
    assert norm == 5.0
    assert clipped["W"] is grads["W"] and clipped["b"] is grads["b"]


def test_clip_above_the_max_scales_every_gradient_by_the_same_factor() -> None:
    grads = {"W": np.array([[3.0, 0.0]]), "b": np.array([4.0])}
    clipped, norm = clip_grad_norm(grads, 1.0)
    scale = 1.0 / (5.0 + 1e-6)
    assert norm == 5.0
    assert clipped["W"].tolist() == [[3.0 * scale, 0.0]]
    assert clipped["b"].tolist() == [4.0 * scale]
    assert grad_norm(clipped) == pytest.approx(1.0, abs=1e-6)
    assert grads["b"].tolist() == [4.0]  # the input is not touched


def test_grad_norm_of_huge_finite_gradients_is_finite() -> None:
    grads = {"W": np.array([[3e200, 0.0]]), "b": np.array([4e200])}
    assert grad_norm(grads) == pytest.approx(5e200, rel=1e-15)
    assert grad_norm({"b": np.array([math.inf])}) == math.inf
    assert math.isnan(grad_norm({"W": np.array([[1.0, math.nan]]), "b": np.array([1e300])}))
