"""The entity panel: this article's entities by type, a legend with a toggle per
type and a "hide all" switch, stepping through one entity's mentions, and a
button listing every article that mentions it."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSettings, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from reader.store import EntitySpan
from reader.ui.models.entities import LABEL_ROLE, MENTIONS_ROLE, NORM_ROLE, ArticleEntitiesModel
from reader.ui.theme import entity_colour, entity_name

DEFAULT_LABELS = ("PERSON", "ORG", "PLACE", "FACILITY", "NORP", "EVENT", "DATE", "TIME", "MONEY", "PERCENT",
                  "QUANTITY", "PRODUCT", "LAW", "WORK")


#: shown until the user chooses: people, organisations, places (the rest one click away)
DEFAULT_SHOWN = frozenset({"PERSON", "ORG", "PLACE", "GPE", "LOC"})


def known_labels() -> tuple[str, ...]:
    try:
        from reader.core.entities import LABELS
    except Exception:
        return DEFAULT_LABELS
    return tuple(LABELS) or DEFAULT_LABELS


def swatch(colour: QColor, size: int = 12) -> QIcon:
    pix = QPixmap(size, size)
    pix.fill(colour)
    return QIcon(pix)


class EntityPanel(QWidget):
    """Entities of the open article; emits what the reader should highlight."""

    entity_selected = Signal(str, str, list)  # label, norm, mentions [(start, end)]
    step_requested = Signal(int)
    list_articles_requested = Signal(str, str)  # label, norm
    visibility_changed = Signal()

    def __init__(self, parent: QWidget | None = None, settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._dark = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.status = QLabel("No article open")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.model = ArticleEntitiesModel(self)
        self.tree = QTreeView()
        self.tree.setObjectName("entityTree")
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(False)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, self.tree.header().ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, self.tree.header().ResizeMode.ResizeToContents)
        layout.addWidget(self.tree, 1)
        nav = QHBoxLayout()
        self.prev_button = QToolButton(text="◀")
        self.prev_button.setToolTip("Previous mention (Alt+Up)")
        self.next_button = QToolButton(text="▶")
        self.next_button.setToolTip("Next mention (Alt+Down)")
        self.mention_label = QLabel("")
        self.articles_button = QPushButton("Articles mentioning…")
        self.articles_button.setToolTip("List every article in the library that mentions the selected entity")
        for w in (self.prev_button, self.next_button, self.mention_label):
            nav.addWidget(w)
        nav.addStretch(1)
        nav.addWidget(self.articles_button)
        layout.addLayout(nav)
        # legend: a toggle per type, and hide all
        self.hide_all = QCheckBox("Hide all entity highlights")
        layout.addWidget(self.hide_all)
        legend = QWidget()
        grid = QGridLayout(legend)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        self.toggles: dict[str, QCheckBox] = {}
        hidden = set(self._load_hidden())
        for i, label in enumerate(known_labels()):
            box = QCheckBox(entity_name(label))
            box.setObjectName(f"toggle_{label}")
            box.setToolTip(f"Highlight {entity_name(label).lower()} entities ({label})")
            box.setChecked(label not in hidden)
            box.toggled.connect(self._toggled)
            self.toggles[label] = box
            grid.addWidget(box, i // 2, i % 2)
        layout.addWidget(legend)
        self.hide_all.setChecked(self._settings is not None and self._settings.value("entities/hide_all", False)
                                 in (True, "true"))
        self.hide_all.toggled.connect(self._toggled)
        self.tree.clicked.connect(self._clicked)
        self.tree.activated.connect(self._clicked)
        self.prev_button.clicked.connect(lambda: self.step_requested.emit(-1))
        self.next_button.clicked.connect(lambda: self.step_requested.emit(1))
        self.articles_button.clicked.connect(self._list_articles)
        self.set_dark(False)
        self._update_buttons()

    # ---- content -----------------------------------------------------
    def set_spans(self, spans: list[EntitySpan], status: str = "") -> None:
        self.model.set_spans(spans)
        self.tree.expandAll()
        self.mention_label.setText("")
        if status:
            self.status.setText(status)
        elif spans:
            self.status.setText(f"{len(spans)} mentions of {sum(len(g.entities) for g in self.model.groups())}"
                                " entities. Click one to step through its mentions.")
        else:
            self.status.setText("No entities recognised in this article (yet).")
        self._update_buttons()

    def set_dark(self, dark: bool) -> None:
        self._dark = dark
        for label, box in self.toggles.items():
            box.setIcon(swatch(entity_colour(label, dark)))

    def visible_labels(self) -> set[str]:
        if self.hide_all.isChecked():
            return set()
        return {label for label, box in self.toggles.items() if box.isChecked()} | self._unknown_visible()

    def _unknown_visible(self) -> set[str]:
        return {g.label for g in self.model.groups() if g.label not in self.toggles}

    def selected_entity(self) -> tuple[str, str] | None:
        index = self.tree.currentIndex()
        norm = index.siblingAtColumn(0).data(NORM_ROLE) if index.isValid() else None
        if not norm:
            return None
        return str(index.data(LABEL_ROLE)), str(norm)

    def select_entity(self, label: str, norm: str) -> bool:
        index = self.model.find(label, norm)
        if not index.isValid():
            return False
        self.tree.setCurrentIndex(index)
        self._clicked(index)
        return True

    def set_mention_position(self, current: int, total: int) -> None:
        self.mention_label.setText(f"{current + 1} / {total}" if total else "")

    # ---- internals ---------------------------------------------------
    def _clicked(self, index: QModelIndex) -> None:
        index = index.siblingAtColumn(0)
        norm = index.data(NORM_ROLE)
        self._update_buttons()
        if not norm:
            return
        mentions = index.data(MENTIONS_ROLE) or []
        self.entity_selected.emit(str(index.data(LABEL_ROLE)), str(norm), list(mentions))

    def _list_articles(self) -> None:
        chosen = self.selected_entity()
        if chosen is not None:
            self.list_articles_requested.emit(*chosen)

    def _update_buttons(self) -> None:
        has = self.selected_entity() is not None
        for w in (self.prev_button, self.next_button, self.articles_button):
            w.setEnabled(has)

    def _toggled(self) -> None:
        for box in self.toggles.values():
            box.setEnabled(not self.hide_all.isChecked())
        if self._settings is not None:
            hidden = [label for label, box in self.toggles.items() if not box.isChecked()]
            self._settings.setValue("entities/hidden", hidden)
            self._settings.setValue("entities/hide_all", self.hide_all.isChecked())
        self.visibility_changed.emit()

    def _load_hidden(self) -> list[str]:
        if self._settings is None or not self._settings.contains("entities/hidden"):
            return [label for label in known_labels() if label not in DEFAULT_SHOWN]
        value = self._settings.value("entities/hidden", [])
        if isinstance(value, str):
            return [value] if value else []
        return [str(v) for v in (value or [])]
