"""Pasting a block into the data table: its cells, a copied header row, and a block wider
than the table (the student is offered to add the columns it needs, in the same edit).
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from ..document import Document, parse_number
from ..errors import DocumentError
from .session import Session

BLANK = "—"
#: what ``ask_extra_columns`` answers: add inputs, add targets, or None (cancel)
ADD_INPUTS = "inputs"
ADD_TARGETS = "targets"


def parse_block(text: str) -> list[list[str]]:
    """Rows of cells from pasted text: tab-separated (spreadsheets), else ';' or ','."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    if "\t" in text:
        sep = "\t"
    elif ";" in text:
        sep = ";"
    else:
        sep = ","
    return [line.split(sep) for line in lines]


def is_header_row(cells: list[str]) -> bool:
    """True when no cell is a number and at least one holds text (a copied header row)."""
    texts = [c.strip() for c in cells if c.strip() and c.strip() != BLANK]
    if not texts:
        return False
    for text in texts:
        try:
            parse_number(text)
        except DocumentError:
            continue
        return False
    return True


def ask_extra_columns(parent: QWidget, width: int, fit: int, can_add_inputs: bool) -> str | None:
    """Ask whether to add the columns a wide block needs: ADD_INPUTS, ADD_TARGETS or None.

    A modal box (objectName ``pasteColumnsBox``; its buttons ``pasteAddInputs``,
    ``pasteAddTargets``); Cancel pastes nothing.
    """
    extra = width - fit
    plural = "s" if extra > 1 else ""
    box = QMessageBox(parent)
    box.setObjectName("pasteColumnsBox")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Paste a wider block")
    box.setText(
        f"The pasted block is {width} columns wide; only {fit} fit from here. "
        f"Add {extra} column{plural}?"
    )
    box.setInformativeText(
        "New input columns go after the inputs (the block's last columns stay targets); "
        "new target columns go at the right end."
    )
    buttons: dict[QPushButton, str] = {}
    if can_add_inputs:
        add_inputs = box.addButton(
            f"Add {extra} input column{plural}", QMessageBox.ButtonRole.AcceptRole
        )
        add_inputs.setObjectName("pasteAddInputs")
        buttons[add_inputs] = ADD_INPUTS
    add_targets = box.addButton(
        f"Add {extra} target column{plural}", QMessageBox.ButtonRole.AcceptRole
    )
    add_targets.setObjectName("pasteAddTargets")
    buttons[add_targets] = ADD_TARGETS
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(next(iter(buttons)))
    box.exec()
    answer = buttons.get(box.clickedButton())
    box.deleteLater()
    return answer


def _free_name(doc: Document, name: str) -> str | None:
    name = name.strip()
    return name if name and name not in doc.column_names else None


def with_columns_added(
    doc: Document, kind: str, count: int, names: list[str] | None = None
) -> Document:
    """``count`` new input or target columns, named from ``names`` where those are free."""
    names = list(names or [])
    for i in range(count):
        wanted = _free_name(doc, names[i]) if i < len(names) else None
        add = doc.with_input_added if kind == ADD_INPUTS else doc.with_target_added
        try:
            doc = add(wanted)
        except DocumentError:  # a name the document refuses: the default name instead
            doc = add(None)
    return doc


def paste_block(
    session: Session,
    parent: QWidget,
    text: str,
    top: int,
    left: int,
    ask=ask_extra_columns,
) -> bool:
    """Paste ``text`` with its top-left at (top, left) as one edit; True when it was pasted.

    A first row without numbers is taken for a header (and said so). A block wider than
    the table: ``ask`` chooses to add input or target columns (named from the header if
    there is one) or cancels.
    """
    block = parse_block(text or "")
    if not block:
        session.messageRaised.emit("the clipboard holds no cells to paste")
        return False
    header = block[0] if len(block) > 1 and is_header_row(block[0]) else None
    if header is not None:  # copied with its header row from a spreadsheet
        block = block[1:]
    doc = session.document
    rows, cols = len(block), max(len(r) for r in block)
    fit = doc.d + doc.k - left
    add: str | None = None
    if cols > fit:
        add = ask(parent, cols, fit, can_add_inputs=left <= doc.d)
        if add is None:
            session.messageRaised.emit(
                f"nothing pasted: the block is {cols} columns wide and {fit} fit from "
                f"column {left + 1}"
            )
            return False
    extra = cols - fit
    new_names: list[str] = []
    if header is not None and extra > 0:
        # the header cells over the new columns: for inputs, those after the old inputs
        first_new = doc.d - left if add == ADD_INPUTS else fit
        new_names = [c for c in header[first_new : first_new + extra]]

    def paste(d: Document) -> Document:
        if add is not None:
            d = with_columns_added(d, add, extra, new_names)
        return d.with_block(top, left, block)

    text_ = f"Paste {rows}×{cols} cells" + (f" (+{extra} {add} columns)" if add else "")
    ok = session.edit(paste, text_)
    if ok and header is not None:
        names = ", ".join(c.strip() for c in header if c.strip())
        session.messageRaised.emit(
            f"pasted {rows} row(s) without the first row ({names}): it holds no numbers, "
            "so it was taken for a header"
        )
    return ok
