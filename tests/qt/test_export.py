"""File ▸ Export ▸: every file opened by the program that reads it."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtGui import QAction, QImage
from PySide6.QtWidgets import QDoubleSpinBox, QFileDialog

from rnn_studio.examples import example, lecture
from rnn_studio.qt.window.export import ENTRIES, export_image

ROOT = Path(__file__).resolve().parents[2]
SVG = "{http://www.w3.org/2000/svg}"


def _svg_tags(path: Path) -> dict[str, int]:
    root = ET.parse(path).getroot()  # parses: well-formed XML
    assert root.tag == f"{SVG}svg"
    counts: dict[str, int] = {}
    for element in root.iter():
        tag = element.tag.removeprefix(SVG)
        counts[tag] = counts.get(tag, 0) + 1
    return counts


def _svg_texts(path: Path) -> str:
    root = ET.parse(path).getroot()
    return " ".join("".join(e.itertext()) for e in root.iter(f"{SVG}text"))


def _distinct_colours(image: QImage) -> int:
    step_x, step_y = max(1, image.width() // 60), max(1, image.height() // 60)
    return len(
        {
            image.pixel(x, y)
            for x in range(0, image.width(), step_x)
            for y in range(0, image.height(), step_y)
        }
    )


def test_the_export_menu_holds_every_format(window):
    names = [a.objectName() for a in window.export_menu.actions() if a.objectName()]
    assert names == ["actionExportCsv", *[entry[0] for entry in ENTRIES]]
    file_menu = window.menuBar().actions()[0].menu()
    assert window.export_menu.menuAction() in file_menu.actions()


def test_the_diagram_as_svg_is_vector_drawing(window, tmp_path):
    window.player.last()
    out = tmp_path / "diagram.svg"
    assert window.export_path(out)
    tags = _svg_tags(out)
    assert tags.get("path", 0) > 10  # boxes, nodes and edges as shapes
    assert tags.get("text", 0) > 10  # the values as text
    assert "image" not in tags  # not a picture in a frame
    texts = _svg_texts(out)
    for value in ("0.5299", "0.8791", "0.3791", "t = 2"):  # the lecture's numbers, readable
        assert value in texts


def test_an_svg_of_an_lstm_holds_its_gates_as_text(window, tmp_path):
    window.open_example("lstm-by-hand")
    window.player.last()
    out = tmp_path / "lstm.svg"
    assert window.export_path(out, "diagram")
    tags = _svg_tags(out)
    assert "image" not in tags and tags.get("text", 0) > 20


def test_the_diagram_as_png_loads(window, tmp_path):
    out = tmp_path / "diagram.png"
    assert window.export_path(out)
    image = QImage(str(out))
    assert not image.isNull()
    assert image.width() > image.height() > 100
    assert _distinct_colours(image) > 5  # something is drawn, not one flat colour


def test_the_plot_as_png_and_svg(window, tmp_path):
    window.player.last()
    png, svg = tmp_path / "plot.png", tmp_path / "plot.svg"
    assert window.export_path(png, "plot")
    image = QImage(str(png))
    assert not image.isNull() and _distinct_colours(image) > 3
    assert window.export_path(svg, what="plot")
    tags = _svg_tags(svg)
    assert tags.get("polyline", 0) + tags.get("path", 0) > 3  # curves and axes as lines
    assert "t (timestep)" in _svg_texts(svg)


def test_the_trace_as_csv_parses_back(window, tmp_path):
    out = tmp_path / "trace.csv"
    assert window.export_path(out)
    rows = list(csv.reader(out.read_text(encoding="utf-8").splitlines()))
    header, body = rows[0], rows[1:]
    assert header[0] == "t" and len(body) == 2
    values = {float(v) for v in body[1][1:] if v}
    assert {0.7, 0.9, 0.5, 0.8791, 0.3791} <= values  # x, y, s_2 / ŷ_2 and the error


def test_the_trace_as_markdown_is_a_table(window, tmp_path):
    out = tmp_path / "trace.md"
    assert window.export_path(out)
    lines = out.read_text(encoding="utf-8").splitlines()
    table = [line for line in lines if line.startswith("|")]
    assert len(table) == 4  # header, separator, two steps
    assert set(table[1].replace("|", "").replace(" ", "")) <= set("-:")
    assert all(line.count("|") == table[0].count("|") for line in table)
    assert "0.8791" in table[3]


def test_the_trace_as_latex_compiles(window, tmp_path):
    out = tmp_path / "trace.tex"
    assert window.export_path(out)
    text = out.read_text(encoding="utf-8")
    assert "\\begin{tabular}" in text and "0.8791" in text
    pdflatex = shutil.which("pdflatex")
    if pdflatex is None:
        pytest.skip("pdflatex is not installed (apt-get install texlive-latex-recommended)")
    if "\\documentclass" in text:
        source = out
    else:  # a fragment for a report: put it in the smallest document that uses it
        source = tmp_path / "report.tex"
        source.write_text(
            "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage{booktabs}\n"
            "\\usepackage{amsmath}\n\\begin{document}\n\\input{trace.tex}\n\\end{document}\n",
            encoding="utf-8",
        )
    result = subprocess.run(
        [pdflatex, "-interaction=nonstopmode", "-halt-on-error", source.name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-2000:]
    assert source.with_suffix(".pdf").stat().st_size > 1000


def test_the_pytorch_script_prints_the_windows_numbers(window, tmp_path):
    window.findChild(QDoubleSpinBox, "param:b:0").setValue(0.25)  # the edited weights go out
    out = tmp_path / "model.py"
    assert window.export_path(out)
    compile(out.read_text(encoding="utf-8"), str(out), "exec")  # valid Python
    pytest.importorskip("torch")
    result = subprocess.run(
        [sys.executable, str(out)], capture_output=True, text=True, timeout=300, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    trace = window.session.trace
    assert printed["loss"] == pytest.approx(trace.loss, rel=1e-12)
    states = [step["state"][0] for step in printed["steps"]]
    assert states == pytest.approx(list(trace.states[1:, 0]), rel=1e-12)  # (row 0: s₀)


def test_an_export_leaves_the_document_as_it_was(window, tmp_path):
    before = window.session.document
    for name in ("a.svg", "a.png", "a.csv", "a.md", "a.tex"):
        assert window.export_path(tmp_path / name)
    assert window.session.document is before
    assert not window.isWindowModified()
    assert not list(tmp_path.glob(".*.tmp"))  # written through a temporary file, renamed


def test_an_unknown_suffix_or_a_folder_is_refused_with_a_message(window, tmp_path):
    assert not window.export_path(tmp_path / "diagram.gif")
    assert "gif" in window.last_message and ".svg" in window.last_message
    assert not (tmp_path / "diagram.gif").exists()
    folder = tmp_path / "taken.svg"
    folder.mkdir()
    assert not window.export_path(folder)
    assert "taken.svg" in window.last_message
    assert not window.export_path(tmp_path / "x.png", what="table")
    assert "'table'" in window.last_message


def test_the_menu_entry_asks_for_a_name_and_adds_the_suffix(window, tmp_path, monkeypatch):
    asked = []

    def fake_save(_parent, _title, default, file_filter):
        asked.append((default, file_filter))
        return str(tmp_path / "handed-in"), file_filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake_save)
    window.findChild(QAction, "actionExportDiagramSvg").trigger()
    assert (tmp_path / "handed-in.svg").exists()
    assert asked[0][0].endswith("-diagram.svg") and "*.svg" in asked[0][1]
    window.findChild(QAction, "actionExportMarkdown").trigger()
    assert (tmp_path / "handed-in.md").exists()


def test_export_image_draws_a_document_without_a_window(qapp, tmp_path):
    doc = example("sine")
    export_image(doc, tmp_path / "sine.svg")
    tags = _svg_tags(tmp_path / "sine.svg")
    assert "image" not in tags and tags.get("text", 0) > 10
    export_image(doc, tmp_path / "sine.png", step=3)
    assert not QImage(str(tmp_path / "sine.png")).isNull()
    export_image(lecture(), tmp_path / "plot.svg", what="plot")
    assert "t (timestep)" in _svg_texts(tmp_path / "plot.svg")


def test_export_image_at_step_1_shows_only_what_is_computed(qapp, tmp_path):
    export_image(lecture(), tmp_path / "one.svg", step=1)
    export_image(lecture(), tmp_path / "all.svg")
    assert "0.5299" in _svg_texts(tmp_path / "one.svg")
    assert "0.8791" not in _svg_texts(tmp_path / "one.svg")
    assert "0.8791" in _svg_texts(tmp_path / "all.svg")


def test_export_image_makes_its_own_offscreen_application(tmp_path):
    code = (
        "import sys; from rnn_studio.examples import lecture; "
        "from rnn_studio.qt.window.export import export_image; "
        "export_image(lecture(), sys.argv[1])"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    env["PYTHONPATH"] = str(ROOT)
    out = tmp_path / "cli.svg"
    result = subprocess.run(
        [sys.executable, "-c", code, str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "image" not in _svg_tags(out)
