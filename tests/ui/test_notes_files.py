"""File > Export notes… and File > Import notes… driven through the dialogs
(only the system file chooser is replaced), compared with reviewed reference
files in tests/ui/reference/.  After an intended change of the output rewrite
them with ``READER_UPDATE_REFERENCE=1`` and review the diff before committing."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from annotation_helpers import annotate, rows
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QFileDialog

REFERENCE = Path(__file__).parent / "reference"
UPDATE = os.environ.get("READER_UPDATE_REFERENCE") == "1"


def _check(name: str, text: str) -> None:
    path = REFERENCE / name
    if UPDATE:  # a rewritten reference is to be reviewed, never a pass
        path.write_text(text, encoding="utf-8")
        pytest.fail(f"{path} rewritten: review the diff, then run the tests without READER_UPDATE_REFERENCE")
    assert text == path.read_text(encoding="utf-8")


def normalised(doc: dict[str, Any]) -> str:
    """The W3C document with its random ids and clock times replaced by stable names."""
    names: dict[str, str] = {}

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            out = {}
            for key, value in node.items():
                if key == "id" and isinstance(value, str) and value.startswith("urn:uuid:"):
                    value = names.setdefault(value, f"urn:uuid:ID-{len(names) + 1}")
                elif key in ("created", "modified"):
                    value = "<time>" if re.match(r"\d{4}-\d\d-\d\dT", value) else value
                out[key] = walk(value)
            return out
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return json.dumps(walk(doc), ensure_ascii=False, indent=2) + "\n"


def _save_as(monkeypatch, path: Path) -> list[str]:
    asked: list[str] = []

    def fake(parent, caption, start, filters):  # the system file chooser: the user picks ``path``
        asked.append(filters)
        return str(path), filters.split(";;")[0]

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake))
    return asked


def _export(qtbot, window, monkeypatch, path: Path, *, json_format: bool, whole_library: bool):
    _save_as(monkeypatch, path)
    window.actions_by_name["export_notes"].trigger()
    dialog = window.notes.export_dialog
    assert dialog.isVisible()
    for radio in (dialog.json if json_format else dialog.markdown,
                  dialog.whole_library if whole_library else dialog.this_article):
        qtbot.mouseClick(radio, Qt.MouseButton.LeftButton, pos=QPoint(8, radio.height() // 2))  # on its circle
        assert radio.isChecked()
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    return dialog


@pytest.fixture
def annotated(qtbot, window):
    """Two articles with notes made through the GUI, one of them multi-paragraph."""
    annotate(qtbot, window, "Jens Stoltenberg met officials", colour="blue", note="Who else was there?",
             tags="people")
    annotate(qtbot, window, "NATO said so.\nWhat happened next\nThe alliance", colour="purple")
    window.list_pane.table.setFocus()
    qtbot.keyClick(window.list_pane.table, Qt.Key.Key_J)
    annotate(qtbot, window, "Closing paragraph number 10 with <tags> & ampersands.", colour="green",
             note="Markup *stays* text.")
    return window


def test_export_markdown_and_json_of_the_library(qtbot, annotated, monkeypatch, tmp_path) -> None:
    window = annotated
    dialog = _export(qtbot, window, monkeypatch, tmp_path / "notes", json_format=False, whole_library=True)
    assert not dialog.isVisible()
    written = tmp_path / "notes.md"  # the suffix is added
    text = written.read_text(encoding="utf-8")
    # what the annotated fixture made, as a reader of the file sees it
    assert "> Closing paragraph number 10 with \\<tags\\> & ampersands." in text  # markup escaped
    assert "Colour: blue (question) · Tags: people" in text
    assert "> NATO said so.\n>\n> What happened next\n>\n> The alliance" in text  # one quote over 3 paragraphs
    assert text.index("## Article number 10") < text.index("## Article number 11")
    _check("library-notes.md", text)
    assert f"Exported 3 notes to {written}" == window.statusBar().currentMessage()
    _export(qtbot, window, monkeypatch, tmp_path / "notes.json", json_format=True, whole_library=True)
    _check("library-notes.json", normalised(json.loads((tmp_path / "notes.json").read_text(encoding="utf-8"))))


def test_export_of_the_current_article_only(qtbot, annotated, monkeypatch, tmp_path) -> None:
    _export(qtbot, annotated, monkeypatch, tmp_path / "one.md", json_format=False, whole_library=False)
    _check("article-notes.md", (tmp_path / "one.md").read_text(encoding="utf-8"))


def test_export_failure_names_the_file_and_keeps_the_dialog(qtbot, annotated, monkeypatch, tmp_path) -> None:
    target = tmp_path / "no-such-folder" / "notes.md"
    dialog = _export(qtbot, annotated, monkeypatch, target, json_format=False, whole_library=True)
    assert dialog.isVisible() and dialog.error.isVisible()
    assert str(target) in dialog.error.text() and "Could not export" in dialog.error.text()
    assert not target.exists()
    dialog.reject()


def test_import_notes_back(qtbot, annotated, monkeypatch, tmp_path) -> None:
    window = annotated
    _export(qtbot, window, monkeypatch, tmp_path / "all.json", json_format=True, whole_library=True)
    before = {a.id: a for a in window.library.annotations()}
    for ann_id in before:
        window.notes.delete(ann_id)
    assert window.library.annotations() == []
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(tmp_path / "all.json"), "")))
    window.actions_by_name["import_notes"].trigger()
    # (a worker stores them; the window shows them when it is done)
    qtbot.waitUntil(lambda: "Imported all.json" in window.statusBar().currentMessage(), timeout=10000)
    after = {a.id: a for a in window.library.annotations()}
    assert after.keys() == before.keys()
    for ann_id, ann in before.items():
        got = after[ann_id]
        assert (got.start, got.end, got.note, got.colour, got.tags, got.orphan) == (
            ann.start, ann.end, ann.note, ann.colour, ann.tags, False)
    assert "Imported all.json: notes: 3 added" in window.statusBar().currentMessage()
    assert len(rows(window.annotation_panel)) == 1  # the open article's note is back in the panel
    assert window.reader.view.layer_spans("annotations")


def test_import_of_a_broken_file_names_it(qtbot, window, monkeypatch, tmp_path) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text("{ not json", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(bad), "")))
    window.actions_by_name["import_notes"].trigger()
    qtbot.waitUntil(lambda: window.status_panel.message_box is not None and window.status_panel.message_box.isVisible(),
                    timeout=10000)
    box = window.status_panel.message_box
    assert box is not None and box.isVisible()
    assert str(bad) in box.text()
    box.accept()
