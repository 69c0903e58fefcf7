"""Bookmarks and tags of articles."""

from __future__ import annotations

from reader.store import models
from reader.store.session import Repository


class Marks(Repository):
    """The ``bookmarks``, ``tags`` and ``article_tags`` tables."""

    # ---- bookmarks ----------------------------------------------------
    def set_bookmark(self, article_id: str, on: bool = True, folder: str = "") -> bool:
        """Bookmark or unbookmark; returns whether the article exists."""
        with self.transaction() as conn:
            if conn.execute("SELECT 1 FROM articles WHERE id=?", (article_id,)).fetchone() is None:
                return False
            if on:
                conn.execute(
                    "INSERT INTO bookmarks (article_id, created, folder) VALUES (?,?,?)"
                    " ON CONFLICT(article_id) DO UPDATE SET folder=excluded.folder",
                    (article_id, models.now_iso(), folder),
                )
            else:
                conn.execute("DELETE FROM bookmarks WHERE article_id=?", (article_id,))
            self.library.touch(article_id)
            return True

    def is_bookmarked(self, article_id: str) -> bool:
        """Whether the article is bookmarked."""
        return self.conn.execute("SELECT 1 FROM bookmarks WHERE article_id=?", (article_id,)).fetchone() is not None

    def bookmark_folder(self, article_id: str) -> str | None:
        """The folder of the article's bookmark (``""`` for none), ``None`` when not bookmarked."""
        row = self.conn.execute("SELECT folder FROM bookmarks WHERE article_id=?", (article_id,)).fetchone()
        return str(row[0]) if row else None

    def bookmarked_ids(self) -> list[str]:
        """Bookmarked articles, the most recently bookmarked first."""
        return [r[0] for r in self.conn.execute("SELECT article_id FROM bookmarks ORDER BY created DESC")]

    # ---- tags ---------------------------------------------------------
    def link_tag(self, article_id: str, name: str) -> None:
        """Give the article the tag ``name`` (created if new), as part of the
        caller's transaction; the article's user revision is left alone."""
        name = name.strip()
        if not name:
            return
        self.conn.execute("INSERT OR IGNORE INTO tags (name) VALUES (?)", (name,))
        tag_id = self.conn.execute("SELECT id FROM tags WHERE name=?", (name,)).fetchone()[0]
        self.conn.execute("INSERT OR IGNORE INTO article_tags VALUES (?,?)", (article_id, tag_id))

    def add_tag(self, article_id: str, name: str) -> None:
        """Tag an article (a blank name does nothing)."""
        with self.transaction():
            self.link_tag(article_id, name)
            self.library.touch(article_id)

    def remove_tag(self, article_id: str, name: str) -> None:
        """Take a tag off an article (the tag itself stays known)."""
        with self.transaction() as conn:
            conn.execute(
                "DELETE FROM article_tags WHERE article_id=? AND tag_id=(SELECT id FROM tags WHERE name=?)",
                (article_id, name),
            )
            self.library.touch(article_id)

    def tags_of(self, article_id: str) -> list[str]:
        """The article's tags, by name."""
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT t.name FROM tags t JOIN article_tags a ON a.tag_id=t.id WHERE a.article_id=? ORDER BY t.name",
                (article_id,),
            )
        ]

    def all_tags(self) -> list[tuple[str, str]]:
        """(name, colour) of every tag."""
        return [(r[0], r[1]) for r in self.conn.execute("SELECT name, colour FROM tags ORDER BY name")]

    def ids_with_tag(self, name: str) -> list[str]:
        """The articles tagged ``name``."""
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT article_id FROM article_tags WHERE tag_id=(SELECT id FROM tags WHERE name=?)", (name,)
            )
        ]
