"""Library-wide docks: the most mentioned entities (a filter for the list) and
related articles of the open article."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QLabel, QListView, QTableView, QVBoxLayout, QWidget

from reader.ui.models.entities import LABEL_ROLE, NORM_ROLE, TopEntitiesModel
from reader.ui.models.related import ID_ROLE, RelatedModel
from reader.ui.views.related_delegate import RelatedDelegate

TYPE_CHOICES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("People, organisations, places", ("PERSON", "ORG", "PLACE", "GPE", "LOC")),
    ("People", ("PERSON",)),
    ("Organisations", ("ORG",)),
    ("Places", ("PLACE", "GPE", "LOC")),
    ("Events and groups", ("EVENT", "NORP")),
)


class TopEntitiesPanel(QWidget):
    """Most mentioned entities in the library; double-click filters the article list."""

    filter_requested = Signal(str, str)  # label, norm
    labels_changed = Signal(tuple)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.choice = QComboBox()
        for name, _labels in TYPE_CHOICES:
            self.choice.addItem(name)
        self.model = TopEntitiesModel(self)
        self.table = QTableView()
        self.table.setObjectName("topEntities")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.horizontalHeader().setSectionResizeMode(1, self.table.horizontalHeader().ResizeMode.Stretch)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.hint = QLabel("Double-click an entity to show the articles mentioning it.")
        self.hint.setWordWrap(True)
        layout.addWidget(self.choice)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.hint)
        self.table.doubleClicked.connect(self._activated)
        self.table.activated.connect(self._activated)
        self.choice.currentIndexChanged.connect(lambda _i: self.labels_changed.emit(self.labels()))

    def labels(self) -> tuple[str, ...]:
        return TYPE_CHOICES[max(0, self.choice.currentIndex())][1]

    def set_rows(self, rows: list[tuple[str, str, int]]) -> None:
        self.model.set_rows(rows)
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(2)
        if not rows:
            self.hint.setText("No entities yet: they are recognised in the background after an import.")
        else:
            self.hint.setText("Double-click an entity to show the articles mentioning it.")

    def _activated(self, index: QModelIndex) -> None:
        label, norm = index.siblingAtColumn(0).data(LABEL_ROLE), index.siblingAtColumn(0).data(NORM_ROLE)
        if label and norm:
            self.filter_requested.emit(str(label), str(norm))


class RelatedPanel(QWidget):
    """Articles related to the open one, with the reasons."""

    open_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.status = QLabel("No article open")
        self.status.setWordWrap(True)
        self.model = RelatedModel(self)
        self.view = QListView()
        self.view.setObjectName("relatedList")
        self.view.setModel(self.model)
        self.view.setItemDelegate(RelatedDelegate(self.view))
        self.view.setUniformItemSizes(False)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.hint = QLabel("Click an article (or press Enter) to open it.")
        self.hint.setObjectName("relatedHint")
        self.hint.setWordWrap(True)
        layout.addWidget(self.status)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.hint)
        # a single click or Enter opens (activated is Enter, and a click where the style says so)
        self.view.clicked.connect(self._open)
        self.view.activated.connect(self._open)

    def set_hits(self, hits: list, status: str = "") -> None:
        self.model.set_hits(hits)
        self.status.setText(status or (f"{len(hits)} related article(s)" if hits else "No related articles found."))

    def _open(self, index: QModelIndex) -> None:
        aid = index.data(ID_ROLE)
        if aid:
            self.open_requested.emit(str(aid))
