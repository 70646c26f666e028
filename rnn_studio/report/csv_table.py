"""``trace --format csv`` and ``export -o table.csv``: the trace table, ASCII headers."""

from __future__ import annotations

import csv
import io

from ..core import Gradients, Trace
from ..document import Document
from .columns import rows, table_columns


def render_csv(doc: Document, trace: Trace, grads: Gradients | None, precision: int) -> str:
    cols = table_columns(doc, trace, grads)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([c.ascii for c in cols])
    writer.writerows(rows(cols, precision))
    return buffer.getvalue()
