"""The numerical core and everything below the window import no Qt."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MODULES = [
    "rnn_studio.core",
    "rnn_studio.document",
    "rnn_studio.io",
    "rnn_studio.explain",
    "rnn_studio.examples",
    "rnn_studio.errors",
]


def test_core_document_io_explain_import_no_qt():
    present = [m for m in MODULES if importlib.util.find_spec(m) is not None]
    assert {"rnn_studio.core", "rnn_studio.document", "rnn_studio.explain"} <= set(present)
    code = (
        "import sys\n"
        f"for name in {present!r}:\n"
        "    __import__(name)\n"
        "from rnn_studio.examples import lecture\n"
        "from rnn_studio.core import backprop\n"
        "from rnn_studio.explain import explain_step\n"
        "trace = lecture().trace(); backprop(trace); explain_step(trace, 1)\n"
        "qt = sorted(m for m in sys.modules\n"
        "            if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'shiboken6'))\n"
        "print('QT:', qt)\n"
        "sys.exit(1 if qt else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "QT: []" in result.stdout
