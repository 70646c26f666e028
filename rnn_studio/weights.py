"""Where a model's weights come from: the seed that drew them, and what Reset goes back to.

The Model panel promises that the seed it shows gives the weights it shows. A document
remembers the seed of its last Randomize in ``view.seed`` (saved with the file, so a
project reopened shows the seed that drew it); :func:`seed_of` checks the promise by
drawing that seed again and comparing, so a weight edited by hand, a changed hidden size
or a kept readout makes it "no seed" rather than a seed that would give other weights.
No Qt here: the panel and the tests share it.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

import numpy as np

from .core.trace import ModelSpec
from .document import Document, initial_params
from .examples import lecture

#: the key in a document's ``view`` block: the seed whose draw the weights were
SEED_KEY = "seed"
SEED_MAX = 999_999


def _is_seed(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= SEED_MAX


@lru_cache(maxsize=16)
def drawn(spec: ModelSpec, seed: int) -> dict[str, np.ndarray]:
    """``initial_params(spec, seed)``, read-only and cached (the panel asks on every sync)."""
    params = initial_params(spec, seed)
    for a in params.values():
        a.flags.writeable = False
    return params


def stored_seed(doc: Document) -> int | None:
    """The seed the document says drew its weights (``view.seed``), if any."""
    value = doc.view.get(SEED_KEY) if isinstance(doc.view, dict) else None
    return value if _is_seed(value) else None


def seed_of(doc: Document) -> int | None:
    """The seed that gives exactly the weights shown, or None when none is known to.

    A document without ``view.seed`` is checked against seed 0, the seed a new model
    (``Document.create``) draws its weights with.
    """
    seed = stored_seed(doc)
    candidate = 0 if seed is None else seed
    expected = drawn(doc.spec, candidate)
    if expected.keys() != doc.params.keys():
        return None
    if all(np.array_equal(expected[n], doc.params[n]) for n in expected):
        return candidate
    return None


def with_seed(doc: Document, seed: int | None) -> Document:
    """``doc`` with ``view.seed`` set to ``seed`` (None: the key removed)."""
    view = {k: v for k, v in doc.view.items() if k != SEED_KEY}
    if seed is not None:
        view[SEED_KEY] = int(seed)
    return doc if view == doc.view else replace(doc, view=view)


def next_seed(doc: Document) -> int:
    """The seed a Randomize click draws with when none was typed: the one after the seed
    the document last drew with (so every click gives new weights), else 0."""
    seed = stored_seed(doc)
    if seed is None:
        seed = seed_of(doc)
    if seed is None:
        return 0
    return seed + 1 if seed < SEED_MAX else 0


def randomized(doc: Document, seed: int) -> Document:
    """Every weight and bias drawn with ``seed``, and the seed remembered."""
    return with_seed(doc.with_params(dict(drawn(doc.spec, seed))), seed)


# -- what Reset weights goes back to ------------------------------------------------------
def lecture_shaped(doc: Document) -> bool:
    """The lecture's values fit: a basic RNN with 2 inputs and 1 hidden unit."""
    return doc.cell == "rnn" and doc.d == 2 and doc.hidden_size == 1


def lecture_values(doc: Document) -> Document | None:
    """W = (0.7, 0.3, 0.4), b = 0.4, s₀ = 0 (a readout is kept); None for other shapes."""
    if not lecture_shaped(doc):
        return None
    ref = lecture()
    new = doc.with_params({**doc.params, "W": ref.params["W"], "b": ref.params["b"]})
    return with_seed(new.with_initial_state(ref.initial_state), None)


def opened_values(doc: Document, origin: Document) -> Document | None:
    """Every weight and the initial state as opened; None when the shape changed since."""
    if origin.spec != doc.spec:
        return None
    new = doc.with_params(dict(origin.params)).with_initial_state(origin.initial_state)
    for j, value in enumerate(origin.initial_cell):
        new = new.with_param("initial_cell", (j,), float(value))
    return with_seed(new, stored_seed(origin))


def seeded_values(doc: Document, seed: int = 0) -> Document:
    """A new model's start: the weights drawn with ``seed`` and a zero initial state."""
    new = randomized(doc, seed).with_initial_state(np.zeros(doc.hidden_size))
    for j in range(doc.hidden_size):
        new = new.with_param("initial_cell", (j,), 0.0)
    return new
