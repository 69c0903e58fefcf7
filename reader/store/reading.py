"""Reading state: whether an article was read and where the reader left it."""

from __future__ import annotations

from reader.store.session import Repository


class Reading(Repository):
    """``is_read`` and ``read_pos`` of the articles (single statements: no user revision)."""

    def set_read(self, article_id: str, read: bool = True) -> None:
        """Mark an article read (or unread)."""
        self.conn.execute("UPDATE articles SET is_read=? WHERE id=?", (int(read), article_id))

    def is_read(self, article_id: str) -> bool:
        """Whether the article is marked read (``False`` for an unknown id)."""
        row = self.conn.execute("SELECT is_read FROM articles WHERE id=?", (article_id,)).fetchone()
        return bool(row[0]) if row else False

    def set_read_position(self, article_id: str, pos: int) -> None:
        """Remember where the reader left the article (a character offset)."""
        self.conn.execute("UPDATE articles SET read_pos=? WHERE id=?", (pos, article_id))

    def read_position(self, article_id: str) -> int:
        """Where the reader left the article (0 when never opened or unknown)."""
        row = self.conn.execute("SELECT read_pos FROM articles WHERE id=?", (article_id,)).fetchone()
        return int(row[0]) if row else 0
