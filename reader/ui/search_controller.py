"""Search from the window: the search bar's queries, one search job at a time,
the results page, and the hits highlighted in the open article."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject

from reader.search import SearchResult
from reader.settings import DEFAULTS
from reader.ui import jobs
from reader.ui.actions import make_action
from reader.ui.events import IndexState, LibraryEvents, ListMode
from reader.ui.jobs import job_match_spans
from reader.ui.search_backend import SearchBackend
from reader.ui.timing import timing_mark
from reader.ui.views.list_pane import ListPane
from reader.ui.views.reader_pane import ReaderPane
from reader.ui.views.search_bar import SearchBar
from reader.ui.workers import TaskRunner


class SearchController(QObject):
    """Owns the search job state: the running search and the newest query waiting."""

    def __init__(self, backend: SearchBackend | None, db_path: Path, runner: TaskRunner, events: LibraryEvents,
                 bar: SearchBar, pane: ListPane, reader: ReaderPane) -> None:
        super().__init__(pane)
        self.backend, self.db_path, self.runner = backend, db_path, runner
        self.bar, self.pane, self.reader = bar, pane, reader
        self.current_id = ""
        self.job = 0  # the running search's job id
        self.next_query: str | None = None  # the newest query asked for while it runs
        # how many results to ask for: one page, and a page more each time the
        # list is scrolled to its end (the search API has a limit but no offset)
        self.limit = DEFAULTS.search_limit
        self.shown_query = ""
        self.actions = {
            "search": make_action(self, "&Search library", bar.focus, ["Ctrl+K"]),
            "query_help": make_action(self, "&Search syntax", bar.show_help),
        }
        bar.search_requested.connect(self.run)
        bar.cleared.connect(self.leave)
        pane.suggestion_clicked.connect(lambda s: bar.set_query(s))
        pane.result_sort_changed.connect(lambda _s: self.run(bar.text()))
        pane.more_results_requested.connect(self.load_more)
        events.current_article.connect(self._article_opened)
        events.index_state.connect(self._index_state)

    @property
    def showing_results(self) -> bool:
        return self.pane.mode() is ListMode.RESULTS

    def run(self, query: str) -> None:
        """Search for ``query`` (an empty one returns to the library)."""
        query = query.strip()
        if not query:
            self.leave()
            return
        if self.backend is None:
            self.pane.show_results(query, [], 0, None, "Search is not available (no search index).")
            return
        if query != self.shown_query:
            self.limit = DEFAULTS.search_limit
        self.pane.show_searching(query)
        if self.job:
            # One search at a time: a search cannot be stopped once sent, and
            # several at once (typing, or a query every 300 ms) only take turns
            # for the CPU.  The newest query runs when the running one ends.
            self.next_query = query
            return
        self._start(query)

    def load_more(self) -> None:
        """The next page of the results showing (the list was scrolled to its end)."""
        query = self.bar.text().strip()
        if self.backend is None or not query or query != self.shown_query or self.job:
            self.pane.loading_more = False
            return
        self.limit += DEFAULTS.search_limit
        self._start(query)

    def _start(self, query: str) -> None:
        self.next_query = None
        self.job = self.runner.run(
            "search", jobs.job_search, self.backend, self.db_path, query, self.pane.result_sort(), self.limit,
            on_done=self._finished, on_error=lambda msg, q=query: self._finished(None, q, msg))

    def _finished(self, result: SearchResult | None, query: str = "", error: str = "") -> None:
        self.job = 0
        if self.next_query is not None:  # a newer query waits: this result is already stale
            self._start(self.next_query)
            return
        if result is None:
            self.pane.show_results(query, [], 0, None, error)
            return
        if self.bar.text().strip() == "":
            return
        hits = list(result.hits)
        self.shown_query = result.query
        self.pane.show_results(result.query, hits, int(result.total), result.suggestion, result.error)
        timing_mark("search_done")
        if self.current_id in {h.id for h in hits}:
            self.highlight_hits()

    def leave(self) -> None:
        """Back to the library (the search field was cleared)."""
        self.next_query = None
        self.shown_query = ""
        self.pane.show_library()
        self.reader.clear_search_hits()
        if self.current_id:
            self.pane.select_id(self.current_id, emit=False)

    def escape(self) -> bool:
        """Esc in the window: clear the search if results show; whether it did."""
        if not self.showing_results:
            return False
        self.bar.clear()
        return True

    # ---- hits in the open article ---------------------------------------
    def highlight_hits(self) -> None:
        query = self.bar.text().strip() if self.showing_results else ""
        article = self.reader.article
        if not query or article is None or self.backend is None:
            self.reader.clear_search_hits()
            return
        self.runner.run("match", job_match_spans, self.backend, query, article.plain_text,
                        on_done=lambda spans, q=query, aid=article.id: self._hits_ready(q, aid, spans))

    def _hits_ready(self, query: str, article_id: str, spans: list[tuple[int, int]]) -> None:
        if article_id == self.current_id:
            self.reader.set_search_hits(query, spans)

    def _article_opened(self, article_id: str) -> None:
        self.current_id = article_id
        self.highlight_hits()

    def _index_state(self, state: IndexState) -> None:
        if state.ready and self.showing_results and self.bar.text().strip():
            self.run(self.bar.text())  # the index changed: the results may have
