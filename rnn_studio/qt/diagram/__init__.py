"""The unfolded network: one cell per timestep, values flowing left to right.

Design, for speed at T = 2,000: the shape of one timestep's column (its nodes, edges,
gate boxes and weight badges, in column-local coordinates) is laid out once per
structure in a ``Layout``. One ``UnfoldedItem`` draws every column from the current
trace, in two layers:

- the static layer (edges, cell and gate boxes, bias badges) looks the same in every
  column, so it is drawn once into a picture per zoom and blitted per column, as the
  view's background, which Qt caches: an edit of the table or an animation frame never
  redraws it (only a change of weights, hover, zoom or palette does);
- the changing layer (current-step band, nodes with their values, gate bars, moving
  dots) is painted for the exposed columns only, with cached texts.

An edit therefore costs a repaint of what is on screen, never thousands of ``setText``
calls; a change of shape (cell, d, h, k, readout, T) builds a new layout and item.

Edges carry a parameter key ``(name, index)``: the same key gets the same pen in every
column (the weights are shared over time) and hovering one highlights it everywhere.

The package, along its seams: ``layout`` (one column per cell), ``values`` (what the
nodes show, forward or backward), ``timeline`` (the step, its phases and direction),
``caches``, ``static`` and ``paint`` (the two layers), ``item`` and ``view``.
"""

from __future__ import annotations

from ..analysis import changed_steps, first_changed_step
from .colors import (
    BAD,
    HOVER,
    NEGATIVE,
    NODE_H,
    NODE_W,
    POSITIVE,
    ZERO,
    Colors,
    ParamKey,
    compact,
)
from .item import UnfoldedItem
from .layout import BadgeSpec, EdgeSpec, GateBox, Layout, NodeSpec, OpSpec, build_layout
from .values import node_value
from .view import DiagramView

__all__ = [
    "BAD",
    "HOVER",
    "NEGATIVE",
    "NODE_H",
    "NODE_W",
    "POSITIVE",
    "ZERO",
    "BadgeSpec",
    "Colors",
    "DiagramView",
    "EdgeSpec",
    "GateBox",
    "Layout",
    "NodeSpec",
    "OpSpec",
    "ParamKey",
    "UnfoldedItem",
    "build_layout",
    "changed_steps",
    "compact",
    "first_changed_step",
    "node_value",
]
