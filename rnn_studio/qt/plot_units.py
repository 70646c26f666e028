"""The plot in the original units: after Scale columns (rnn_studio/scaling.py) the table
holds scaled numbers; the plot's context menu can show ŷ and the targets back in the
units the student typed (°C rather than z-scores). The output series only: a state has
no units.
"""

from __future__ import annotations

import numpy as np

from .. import scaling
from .plot_parts import SERIES_OUTPUT


class UnitsMixin:
    """Part of StatePlot; needs ``_original_units``, ``_series``, ``_doc``, ``_trace``,
    ``action_units``, ``_structure`` and ``show_document``."""

    # -- ŷ in the original units of scaled targets -----------------------------------------
    def _units_active(self) -> bool:
        return (
            self._original_units
            and self._series == SERIES_OUTPUT
            and self._doc is not None
            and any(n in scaling.scalings(self._doc) for n in self._doc.target_names)
        )

    def _in_units(self, a: np.ndarray) -> np.ndarray:
        """Outputs or targets (steps × k) in their original units when the student chose
        so (the output series only: a state has no units)."""
        if not self._units_active():
            return a
        out = np.array(a, dtype=np.float64, copy=True)
        for j, name in enumerate(self._doc.target_names):
            out[:, j] = scaling.to_original(self._doc, name, out[:, j])
        return out

    def set_original_units(self, on: bool) -> None:
        """Plot ŷ and the targets in the units the table had before Scale columns."""
        self._original_units = bool(on)
        if self.action_units.isChecked() != self._original_units:
            self.action_units.setChecked(self._original_units)
        if self._doc is not None and self._trace is not None:
            self._structure = None
            self.show_document(self._doc, self._trace)
