"""``rnn-studio export``: the PyTorch script (run with torch), Markdown, LaTeX, CSV, bad OUT."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from cli_helpers import CELLS, cli, make_doc, one_line_usage_error, run, write_doc

from rnn_studio.cli import main
from rnn_studio.document import Document
from rnn_studio.examples import EXAMPLES, lecture
from rnn_studio.explain import explain_step
from rnn_studio.report import IMAGE_SUFFIXES, export_text, latex_line, render

VALUE_TOL, GRAD_TOL = 1e-12, 1e-9


def trace_json(capsys, path: Path) -> dict:
    code, out, err = run(capsys, "trace", path, "--format", "json", "--grad")
    assert code == 0, err
    return json.loads(out)


RUNNER = """
import contextlib, io, json, runpy, sys
results = {}
for path in sys.argv[1:]:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        runpy.run_path(path, run_name="__main__")
    results[path] = json.loads(printed.getvalue())
print(json.dumps(results))
"""


def run_scripts(scripts: list[Path]) -> dict[str, dict]:
    """The exported scripts as a student runs them (``python model.py`` in its folder, no
    rnn_studio on the path), all in one process so torch is imported once."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [sys.executable, "-c", RUNNER, *(s.name for s in scripts)],
        cwd=scripts[0].parent,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def assert_close(got, expected, tol: float, what: str) -> None:
    a = np.array([np.nan if v is None else v for v in np.ravel(np.array(got, dtype=object))])
    b = np.array([np.nan if v is None else v for v in np.ravel(np.array(expected, dtype=object))])
    assert np.shape(got) == np.shape(expected), what
    assert np.array_equal(np.isnan(a), np.isnan(b)), what  # the same blanks
    ok = ~np.isnan(b)
    diff = np.abs(a[ok] - b[ok]) / np.maximum(1.0, np.abs(b[ok]))
    assert diff.max(initial=0.0) <= tol, (what, diff.max())


def assert_script_agrees(ours: dict, theirs: dict) -> None:
    for key in ("cell", "T", "d", "h", "k"):
        assert theirs[key] == ours[key], key
    for mine, torch_step in zip(ours["steps"], theirs["steps"], strict=True):
        assert torch_step["t"] == mine["t"]
        for key in ("state", "output", "target", "error"):
            assert_close(torch_step[key], mine[key], VALUE_TOL, f"step {mine['t']} {key}")
    if ours["loss"] is None:
        assert theirs["loss"] is None
    else:
        assert_close(theirs["loss"], ours["loss"], VALUE_TOL, "loss")
    assert list(theirs["gradients"]) == list(ours["gradients"])  # names and order
    for name, g in ours["gradients"].items():
        assert_close(theirs["gradients"][name], g, GRAD_TOL, f"gradients.{name}")


READOUTS = ["identity", "linear"]
DOCS = {
    f"{cell}-{activation}-{readout}": make_doc(cell, activation, readout, seed=11, T=6)
    for cell, activation in CELLS
    for readout in READOUTS
}
DOCS["lecture"] = lecture()
DOCS["no-target"] = make_doc("gru", targets=np.full((5, 2), np.nan))


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> dict[str, tuple[Path, dict]]:
    """Every document of DOCS exported by ``export -o NAME.py`` and the script run with torch."""
    # pytest.importorskip("torch") without importing it here: only the scripts' process needs it
    if importlib.util.find_spec("torch") is None:
        pytest.skip("torch is not installed")
    folder = tmp_path_factory.mktemp("scripts")
    scripts = []
    for name, doc in DOCS.items():
        path = write_doc(folder, doc, f"{name}.rnn.json")
        assert main(["export", str(path), "-o", str(folder / f"{name}.py")]) == 0
        scripts.append(folder / f"{name}.py")
    printed = run_scripts(scripts)
    return {name: (folder / f"{name}.rnn.json", printed[f"{name}.py"]) for name in DOCS}


@pytest.mark.parametrize("name", list(DOCS))
def test_the_pytorch_script_prints_what_trace_prints(exported, capsys, name: str) -> None:
    path, theirs = exported[name]
    text = path.with_suffix("").with_suffix(".py").read_text(encoding="utf-8")
    assert "rnn_studio" not in text.split('"""', 2)[2]  # needs only torch
    assert_script_agrees(trace_json(capsys, path), theirs)


def test_the_lecture_script_prints_the_lectures_numbers(exported) -> None:
    _, theirs = exported["lecture"]
    assert round(theirs["loss"], 7) == 0.0982987
    assert [round(v, 4) for v in theirs["gradients"]["W"][0]] == [0.0793, 0.1535, 0.0456]
    assert round(theirs["gradients"]["b"][0], 4) == 0.2762
    assert round(theirs["gradients"]["initial_state"][0], 4) == 0.0760


def test_a_script_without_targets_has_no_loss_and_zero_gradients(exported) -> None:
    _, theirs = exported["no-target"]
    assert theirs["loss"] is None
    assert all(not np.any(g) for g in theirs["gradients"].values())


def test_the_script_is_readable_python_with_exact_numbers(tmp_path: Path) -> None:
    doc = make_doc("lstm", seed=5)
    text = export_text(doc, ".py", title='weird "name" \\ here.rnn.json')
    compile(text, "model.py", "exec")  # valid Python
    namespace: dict = {}
    head = (
        text.split("\n\ndef ", 1)[0]
        .replace("import torch", "")
        .replace("torch.set_default_dtype(torch.float64)", "")
    )
    exec(compile(head, "model.py", "exec"), namespace)  # the constants, without torch
    for ps in doc.param_specs():
        np.testing.assert_array_equal(np.array(namespace["PARAMS"][ps.name]), doc.params[ps.name])
    np.testing.assert_array_equal(np.array(namespace["INPUTS"]), doc.inputs)
    targets = np.array([[np.nan if v is None else v for v in r] for r in namespace["TARGETS"]])
    np.testing.assert_array_equal(targets, doc.targets)
    np.testing.assert_array_equal(namespace["INITIAL_CELL"], doc.initial_cell)
    assert namespace["CELL"] == "lstm" and namespace["GATES"] == ["_i", "_f", "_g", "_o"]


def test_csv_export_is_the_trace_table(tmp_path: Path, capsys) -> None:
    path = write_doc(tmp_path, make_doc("gru"))
    out = tmp_path / "table.csv"
    assert run(capsys, "export", path, "-o", out)[0] == 0
    code, printed, _ = run(capsys, "trace", path, "--format", "csv")
    assert out.read_text(encoding="utf-8") == printed


def test_markdown_export_has_the_table_then_every_step(tmp_path: Path, capsys) -> None:
    doc = lecture()
    path = write_doc(tmp_path, doc, "lecture.rnn.json")
    out = tmp_path / "Hand-in.MD"  # the suffix in any case
    assert run(capsys, "export", path, "-o", out)[0] == 0
    text = out.read_text(encoding="utf-8")
    trace = doc.trace()
    assert text.startswith("# lecture.rnn.json\n\n" + render("markdown", doc, trace))
    steps = re.findall(r"^## Step (\d+)$", text, re.MULTILINE)
    assert steps == ["1", "2"]
    for t in (1, 2):
        block = text.split(f"## Step {t}\n\n```\n", 1)[1].split("\n```", 1)[0]
        assert block.splitlines() == explain_step(trace, t, doc.target_names, 4)
    assert "s₁ = tanh(0.7·0.1 + 0.3·0.4 + 0.4·0 + 0.4) = tanh(0.59) = 0.5299" in text
    # --step: one step's arithmetic only; --precision as in trace
    assert run(capsys, "export", path, "-o", out, "--step", "2", "--precision", "2")[0] == 0
    text = out.read_text(encoding="utf-8")
    assert re.findall(r"^## Step (\d+)$", text, re.MULTILINE) == ["2"]
    assert "tanh(1.37) = 0.88" in text


def assert_clean_latex(text: str) -> None:
    """What pdflatex needs of a fragment: ASCII, balanced braces, environments and math."""
    assert text.isascii(), sorted({c for c in text if not c.isascii()})
    body = re.sub(r"(?m)^%.*$", "", text)
    unescaped = re.sub(r"\\[{}$%&#_]", "", body)
    assert unescaped.count("{") == unescaped.count("}")
    for line in unescaped.splitlines():
        assert line.count("$") % 2 == 0, line
        assert "$$" not in line, line
    begins = re.findall(r"\\begin\{(\w+)\}", body)
    ends = re.findall(r"\\end\{(\w+)\}", body)
    assert begins == list(reversed(ends)) or sorted(begins) == sorted(ends)
    assert body.count("\\begingroup") == body.count("\\endgroup") == 1
    assert "\\documentclass" not in body and "\\usepackage" not in body  # a fragment


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_latex_export_is_a_clean_fragment(tmp_path: Path, capsys, name: str) -> None:
    doc = EXAMPLES[name][1]()
    path = write_doc(tmp_path, doc, f"{name}.rnn.json")
    out = tmp_path / "trace.tex"
    assert run(capsys, "export", path, "-o", out)[0] == 0
    text = out.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first.startswith("% RNN Studio: ")
    assert "\\input" in text.split("\\begingroup")[0] and "booktabs" in text
    assert_clean_latex(text)
    assert text.count("\\textbf{Step ") == doc.T
    assert render("latex", doc, doc.trace()).rstrip("\n") in text  # trace's own table


def test_latex_of_every_cell_with_wide_states_is_clean() -> None:
    for cell, activation in CELLS:
        for readout in READOUTS:
            doc = make_doc(cell, activation, readout, T=3)
            assert_clean_latex(export_text(doc, ".tex"))


def test_latex_line_spells_the_lectures_symbols() -> None:
    assert latex_line("ŷ₁ = s₁ = 0.5299") == "$\\hat{y} _{1}$ = $s_{1}$ = 0.5299"
    assert latex_line("error = ŷ₁ − y = 0.0874 − 0.3 = -0.2126") == (
        "error = $\\hat{y} _{1}$ $-$ y = 0.0874 $-$ 0.3 = $-$0.2126"
    )
    assert latex_line("i₁₂ = σ(0.5·0.1)") == "$i_{12}$ = $\\sigma$(0.5$\\cdot$0.1)"
    assert latex_line("∂L/∂s₁") == "$\\partial$L/$\\partial s_{1}$"
    assert latex_line("a$b_c 50% #1 {x}") == "a\\textdollar{}b\\_c 50\\% \\#1 \\{x\\}"


def test_bad_out_and_options_exit_2_and_write_nothing(tmp_path: Path, capsys) -> None:
    path = write_doc(tmp_path, lecture())
    for name in ("out.doc", "out", "out.json"):
        line = one_line_usage_error(*run(capsys, "export", path, "-o", tmp_path / name), "-o")
        assert ".py, .md, .tex, .csv, .png or .svg" in line
    one_line_usage_error(
        *run(capsys, "export", path, "-o", tmp_path / "m.py", "--step", "1"), "--step"
    )
    one_line_usage_error(
        *run(capsys, "export", path, "-o", tmp_path / "m.md", "--step", "3"), "--step 3", "0..2"
    )
    one_line_usage_error(
        *run(capsys, "export", path, "-o", tmp_path / "m.md", "--precision", "99"), "--precision"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["doc.rnn.json"]


@pytest.mark.parametrize("suffix", IMAGE_SUFFIXES)
def test_the_diagram_at_a_step_is_drawn_as_an_image(tmp_path: Path, capsys, suffix: str) -> None:
    path = write_doc(tmp_path, lecture())
    out = tmp_path / f"diagram{suffix}"
    code, _, err = run(capsys, "export", path, "-o", out, "--step", "1")
    assert code == 0 and "wrote" in err
    if suffix == ".svg":
        import xml.etree.ElementTree as ET

        texts = " ".join(e.text or "" for e in ET.parse(out).iter() if e.tag.endswith("text"))
        assert "0.5299" in texts and "0.8791" not in texts  # step 1 shown, step 2 not yet
        assert not any(e.tag.endswith("image") for e in ET.parse(out).iter())
    else:
        from PySide6.QtGui import QImage

        assert not QImage(str(out)).isNull()


def test_grad_adds_the_backward_lines_to_a_hand_in(tmp_path: Path, capsys) -> None:
    path = write_doc(tmp_path, lecture())
    out = tmp_path / "hand-in.md"
    assert run(capsys, "export", path, "-o", out, "--grad")[0] == 0
    text = out.read_text(encoding="utf-8")
    assert "## Step 2, backward" in text and "∂L/∂s₁ = 0.2299 + 0.4·0.0861 = 0.2643" in text
    assert text.index("## Step 2, backward") < text.index("## Step 1, backward")
    code, _, err = run(capsys, "export", path, "-o", tmp_path / "t.csv", "--grad")
    assert code == 2 and "--grad" in err


def test_a_failing_write_keeps_the_old_file(tmp_path: Path, capsys, monkeypatch) -> None:
    path = write_doc(tmp_path, lecture())
    out = tmp_path / "model.py"
    out.write_text("old", encoding="utf-8")

    def broken(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    code, _, err = run(capsys, "export", path, "-o", out)
    assert code == 3 and len(err.splitlines()) == 1 and "No space" in err
    assert out.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["doc.rnn.json", "model.py"]


def test_export_from_a_csv_and_as_a_subprocess(tmp_path: Path) -> None:
    (tmp_path / "d.csv").write_text("x1,x2,y\n0.1,0.4,0.3\n0.7,0.9,0.5\n", encoding="utf-8")
    done = cli("export", "d.csv", "-o", "trace.md", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "no model in d.csv" in done.stderr
    assert (tmp_path / "trace.md").read_text(encoding="utf-8").startswith("# d.csv\n")


def doc_with_names() -> Document:
    return make_doc("rnn", input_names=["x_1", "50%"], target_names=["y&z", "#q"])


def test_latex_escapes_the_users_column_names() -> None:
    assert_clean_latex(export_text(doc_with_names(), ".tex"))


def test_the_fragments_compile_with_pdflatex(tmp_path: Path) -> None:
    """Every example, every cell and odd column names \\input into one booktabs document."""
    pdflatex = shutil.which("pdflatex")
    if pdflatex is None:
        pytest.skip("pdflatex is not installed")
    docs = {name: make() for name, (_, make) in EXAMPLES.items()}
    docs.update({f"{c}-{a}": make_doc(c, a, "linear", T=3) for c, a in CELLS})
    docs["names"] = doc_with_names()
    inputs = []
    for n, (name, doc) in enumerate(docs.items()):
        (tmp_path / f"frag{n}.tex").write_text(export_text(doc, ".tex", title=name), "utf-8")
        inputs.append(f"\\input{{frag{n}.tex}}")
    body = "\n".join(inputs)
    (tmp_path / "doc.tex").write_text(
        "\\documentclass{article}\n\\usepackage{booktabs}\n\\begin{document}\n"
        f"{body}\n\\end{{document}}\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [pdflatex, "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "doc.tex"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=300,
    )
    log = (tmp_path / "doc.log").read_text(encoding="utf-8", errors="replace")
    errors = [line for line in log.splitlines() if line.startswith("!")]
    assert done.returncode == 0 and not errors, errors or done.stdout[-2000:]
    assert (tmp_path / "doc.pdf").stat().st_size > 0


def test_the_report_api_refuses_what_it_does_not_write() -> None:
    doc = lecture()
    with pytest.raises(ValueError, match="unknown format 'html'"):
        render("html", doc, doc.trace())
    for suffix in (".png", ".doc"):
        with pytest.raises(ValueError, match="no text export"):
            export_text(doc, suffix)
    assert export_text(doc, ".CSV") == render("csv", doc, doc.trace())
