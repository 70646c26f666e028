"""Text that came from a file, shown as the text it is.

Qt guesses whether a string is rich text (``Qt::mightBeRichText``): a column named
``<img src=…>`` would show an image in a message box, a label, a tooltip or a
pyqtgraph legend (which always takes HTML). Everything that shows a name, a path or a
message built from them goes through one of these.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt


def plain_html(text: str) -> str:
    """``text`` escaped for a place that takes HTML (a pyqtgraph legend or LabelItem,
    a QTextBrowser): ``<``, ``>``, ``&`` and quotes show as themselves."""
    return html.escape(str(text), quote=True)


def plain_tooltip(text: str) -> str:
    """A tooltip that shows ``text`` literally (tooltips have no text format of their
    own: this is HTML that Qt recognises as such, with the text escaped inside)."""
    body = plain_html(text).replace("\n", "<br>")
    return f"<qt>{body}</qt>"


def set_plain(widget, text: str) -> None:
    """Give a QLabel or a QMessageBox (anything with setTextFormat) ``text`` as plain text."""
    widget.setTextFormat(Qt.TextFormat.PlainText)
    widget.setText(str(text))
