"""Issue 11 item 15: a student's own CSV, by File ▸ Import or Open: each column's role in one
step with a preview (a date column ignored), a one-column series as "predict the next
value", and the Open dialog offering projects and CSVs together."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QRadioButton,
    QSpinBox,
)

WEATHER = "date,temp,rain\n2024-01-01,3.5,0\n2024-01-02,4,1\n2024-01-03,6,0\n"


def _in_dialog(steps) -> list[str]:
    """Run ``steps(dialog)`` on the import dialog once it shows, then press OK."""
    seen: list[str] = []

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or dialog.objectName() != "importDialog":
            QTimer.singleShot(20, act)
            return
        steps(dialog)
        seen.append(dialog.findChild(QLabel, "importMessage").text())
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        if ok.isEnabled():
            ok.click()
        else:
            dialog.reject()

    QTimer.singleShot(0, act)
    return seen


def test_import_chooses_every_role_in_one_step_and_ignores_the_date(window, tmp_path):
    path = tmp_path / "weather.csv"
    path.write_text(WEATHER, encoding="utf-8")

    def choose(dialog) -> None:
        assert dialog.findChild(QComboBox, "importRole:date").currentData() == "ignore"
        assert dialog.findChild(QComboBox, "importRole:rain").currentData() == "target"
        temp = dialog.findChild(QComboBox, "importRole:temp")
        temp.setCurrentIndex(temp.findData("target"))  # temperature is what to predict
        rain = dialog.findChild(QComboBox, "importRole:rain")
        rain.setCurrentIndex(rain.findData("input"))
        preview = dialog.findChild(object, "importPreview")
        assert preview.item(1, 0).text() == "2024-01-01"  # the preview shows the rows

    seen = _in_dialog(choose)
    assert window.import_path(path)
    doc = window.session.document
    assert doc.input_names == ("rain",) and doc.target_names == ("temp",)
    assert doc.targets[:, 0].tolist() == [3.5, 4.0, 6.0]
    assert "3 timesteps" in seen[0]
    assert window.source_csv == path.resolve()


def test_a_one_column_csv_predicts_its_next_value_with_two_lags(window, tmp_path):
    path = tmp_path / "level.csv"
    path.write_text("level\n1\n2\n4\n8\n16\n", encoding="utf-8")

    def choose(dialog) -> None:
        assert dialog.findChild(QRadioButton, "importModeNext").isChecked()
        dialog.findChild(QSpinBox, "importLagsSpin").setValue(2)

    _in_dialog(choose)
    assert window.import_path(path)
    doc = window.session.document
    assert doc.input_names == ("level", "level t-1") and doc.target_names == ("next level",)
    assert doc.inputs.tolist() == [[2, 1], [4, 2], [8, 4]]
    assert doc.targets[:, 0].tolist() == [4, 8, 16]


def test_roles_that_make_no_model_keep_ok_disabled_and_say_why(window, tmp_path):
    path = tmp_path / "weather.csv"
    path.write_text(WEATHER, encoding="utf-8")
    before = window.session.document

    def choose(dialog) -> None:
        rain = dialog.findChild(QComboBox, "importRole:rain")
        rain.setCurrentIndex(rain.findData("ignore"))

    seen = _in_dialog(choose)
    assert not window.import_path(path)
    assert "at least one input column and one target column" in seen[0]
    assert window.session.document is before


def test_open_shows_projects_and_csvs_together_and_imports_a_csv(window, tmp_path, monkeypatch):
    path = tmp_path / "level.csv"
    path.write_text("level\n1\n2\n3\n", encoding="utf-8")
    filters = []

    def fake_open(_parent, _title, _folder, filter_text):
        filters.append(filter_text)
        return str(path), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", fake_open)
    _in_dialog(lambda _d: None)
    window.findChild(object, "actionOpen").trigger()
    first = filters[0].split(";;")[0]
    assert "*.rnn.json" in first and "*.csv" in first  # the default filter shows both
    assert window.session.document.target_names == ("next level",)
