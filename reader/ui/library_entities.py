"""The "Library entities" panel: the most mentioned entities of the whole
library, loaded in a worker, reloaded when entities or articles change."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject

from reader.ui.events import LibraryEvents, What
from reader.ui.jobs import job_top_entities
from reader.ui.panels.library_panels import TopEntitiesPanel
from reader.ui.workers import TaskRunner

#: Rows the panel lists.
TOP_ENTITIES = 100


class TopEntitiesController(QObject):
    """Keeps :class:`TopEntitiesPanel` filled."""

    def __init__(self, db_path: Path, runner: TaskRunner, events: LibraryEvents, panel: TopEntitiesPanel) -> None:
        super().__init__(panel)
        self.db_path, self.runner, self.panel = db_path, runner, panel
        panel.labels_changed.connect(lambda _labels: self.load())
        events.entities_changed.connect(lambda _ids: self.load())
        events.articles_changed.connect(self._articles_changed)

    def load(self) -> None:
        self.runner.run("top_entities", job_top_entities, self.db_path, self.panel.labels(), TOP_ENTITIES,
                        on_done=self.panel.set_rows)

    def _articles_changed(self, _ids: list[str], what: str) -> None:
        if what in (What.DELETED, What.RESTORED, What.EXTERNAL):  # (new articles: once their entities are in)
            self.load()
