"""The notes dock: the open article's highlights and notes, or every note in
the library; filters by colour, tag and text; sorted by position or newest
first.  Clicking a row asks the window to jump to the passage; notes that
could not be placed are listed (marked), never hidden."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QModelIndex, Qt, Signal, SignalInstance
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reader.store.library import COLOURS, Annotation
from reader.ui.models.annotations import ID_ROLE, AnnotationFilterModel, AnnotationListModel
from reader.ui.panels.swatches import colour_icon
from reader.ui.theme import annotation_label

SCOPES = (("article", "This article"), ("library", "All notes in the library"))
EMPTY_HINT = "No highlights yet. Select text and press H to highlight, N to add a note."


class AnnotationListView(QListView):
    """The list; Delete/Backspace delete the current note and F2 edits it
    (taken before the window's Delete shortcut, which deletes articles)."""

    delete_pressed = Signal()
    edit_pressed = Signal()

    _KEYS = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace, Qt.Key.Key_F2)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) \
                and event.key() in self._KEYS and not event.modifiers():
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in self._KEYS and not event.modifiers():
            (self.edit_pressed if event.key() == Qt.Key.Key_F2 else self.delete_pressed).emit()
            event.accept()
            return
        super().keyPressEvent(event)


class AnnotationPanel(QWidget):
    """Highlights and notes, with filters; emits what the user wants done."""

    jump_requested = Signal(str)  # annotation id
    edit_requested = Signal(str)
    delete_requested = Signal(str)
    scope_changed = Signal(str)  # "article" | "library"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("annotationPanel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.scope = QComboBox()
        self.scope.setObjectName("notesScope")
        for key, label in SCOPES:
            self.scope.addItem(label, key)
        self.text_filter = QLineEdit()
        self.text_filter.setObjectName("notesFilter")
        self.text_filter.setPlaceholderText("Filter notes by text")
        self.text_filter.setClearButtonEnabled(True)
        row = QHBoxLayout()
        self.colour_filter = QComboBox()
        self.colour_filter.setObjectName("notesColour")
        self.colour_filter.addItem("Any colour", "")
        for name in COLOURS:
            self.colour_filter.addItem(colour_icon(name), annotation_label(name), name)
        self.tag_filter = QComboBox()
        self.tag_filter.setObjectName("notesTag")
        self.tag_filter.addItem("Any tag", "")
        self.sort = QComboBox()
        self.sort.setObjectName("notesSort")
        self.sort.addItem("By position", "position")
        self.sort.addItem("Newest first", "date")
        for w in (self.scope, self.colour_filter, self.tag_filter, self.sort):
            w.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            w.setMinimumContentsLength(6)
        row.addWidget(self.colour_filter, 1)
        row.addWidget(self.tag_filter, 1)
        self.status = QLabel("No article open")
        self.status.setObjectName("notesStatus")
        self.status.setWordWrap(True)
        self.model = AnnotationListModel(self)
        self.proxy = AnnotationFilterModel(self)
        self.proxy.setSourceModel(self.model)
        self.view = AnnotationListView()
        self.view.setObjectName("notesList")
        self.view.setModel(self.proxy)
        self.view.setWordWrap(True)
        self.view.setAlternatingRowColors(True)
        self.view.setSpacing(1)
        self.view.setUniformItemSizes(False)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        buttons = QHBoxLayout()
        self.edit_button = QPushButton("Edit…")
        self.edit_button.setToolTip("Change the note, colour or tags (F2)")
        self.delete_button = QPushButton("Delete")
        self.delete_button.setToolTip("Delete this highlight and its note (Del); Ctrl+Z undoes")
        buttons.addStretch(1)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.delete_button)
        top = QHBoxLayout()
        top.addWidget(self.scope, 2)
        top.addWidget(self.sort, 1)
        layout.addLayout(top)
        layout.addWidget(self.text_filter)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.text_filter.textChanged.connect(self._filter_text)
        self.colour_filter.currentIndexChanged.connect(
            lambda _i: self._refilter(lambda: self.proxy.set_colour(str(self.colour_filter.currentData() or ""))))
        self.tag_filter.currentIndexChanged.connect(
            lambda _i: self._refilter(lambda: self.proxy.set_tag(str(self.tag_filter.currentData() or ""))))
        self.sort.currentIndexChanged.connect(lambda _i: self.proxy.set_sort(str(self.sort.currentData())))
        self.scope.currentIndexChanged.connect(lambda _i: self.scope_changed.emit(self.scope_key()))
        self.view.clicked.connect(self._jump)
        self.view.activated.connect(self._jump)
        self.view.delete_pressed.connect(lambda: self._emit_current(self.delete_requested))
        self.view.edit_pressed.connect(lambda: self._emit_current(self.edit_requested))
        self.edit_button.clicked.connect(lambda: self._emit_current(self.edit_requested))
        self.delete_button.clicked.connect(lambda: self._emit_current(self.delete_requested))
        self.view.selectionModel().currentChanged.connect(lambda _c, _p: self._update_buttons())
        self._empty_text = "No article open"
        self._update_buttons()

    # ---- content -----------------------------------------------------
    def scope_key(self) -> str:
        return str(self.scope.currentData())

    def set_annotations(self, annotations: Sequence[Annotation], empty_text: str = "") -> None:
        """Show these annotations (keeps the filters and, when still there, the current row)."""
        current = self.current_id()
        self.model.set_annotations(annotations, with_article=self.scope_key() == "library")
        self._empty_text = empty_text or EMPTY_HINT
        self._set_tags(sorted({t for a in annotations for t in a.tags}, key=str.casefold))
        if current:
            self.select_id(current)
        self._update_status()
        self._update_buttons()

    def set_dark(self, dark: bool) -> None:
        self.model.set_dark(dark)
        for i in range(1, self.colour_filter.count()):
            self.colour_filter.setItemIcon(i, colour_icon(str(self.colour_filter.itemData(i)), dark))

    def current_id(self) -> str | None:
        index = self.view.currentIndex()
        value = index.data(ID_ROLE) if index.isValid() else None
        return str(value) if value else None

    def select_id(self, annotation_id: str) -> bool:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(ID_ROLE) == annotation_id:
                self.view.setCurrentIndex(index)
                self.view.scrollTo(index)
                return True
        return False

    def visible_annotations(self) -> list[Annotation]:
        """The rows as shown (filtered and sorted)."""
        out = []
        for row in range(self.proxy.rowCount()):
            ann = self.proxy.annotation_at(row)
            if ann is not None:
                out.append(ann)
        return out

    # ---- internals ---------------------------------------------------
    def _set_tags(self, tags: list[str]) -> None:
        chosen = self.tag_filter.currentData()
        self.tag_filter.blockSignals(True)
        self.tag_filter.clear()
        self.tag_filter.addItem("Any tag", "")
        for tag in tags:
            self.tag_filter.addItem(f"#{tag}", tag)
        found = self.tag_filter.findData(chosen)
        self.tag_filter.setCurrentIndex(max(0, found))
        self.tag_filter.blockSignals(False)
        self.proxy.set_tag(str(self.tag_filter.currentData() or ""))

    def _filter_text(self, text: str) -> None:
        self._refilter(lambda: self.proxy.set_text(text))

    def _refilter(self, change: object) -> None:
        change()  # type: ignore[operator]
        self._update_status()
        self._update_buttons()

    def _update_status(self) -> None:
        total = self.model.rowCount()
        shown = self.proxy.rowCount()
        orphans = sum(1 for a in self.model.annotations() if a.orphan)
        if total == 0:
            self.status.setText(self._empty_text)
            return
        text = f"{total} highlight{'s' if total != 1 else ''}"
        with_notes = sum(1 for a in self.model.annotations() if a.note.strip())
        text += f", {with_notes} with a note"
        if orphans:
            text += f"; {orphans} could not be placed"
        if shown != total:
            text = f"Showing {shown} of {text}"
        self.status.setText(text + ".")

    def _update_buttons(self) -> None:
        has = self.current_id() is not None
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    def _emit_current(self, signal: SignalInstance) -> None:
        aid = self.current_id()
        if aid:
            signal.emit(aid)

    def _jump(self, index: QModelIndex) -> None:
        aid = index.data(ID_ROLE)
        self._update_buttons()
        if aid:
            self.jump_requested.emit(str(aid))
