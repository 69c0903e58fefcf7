"""Making a component's actions.  Each component creates its own actions
(text, shortcuts, slot) in an ``actions`` dict by name; the window adds them
all to itself (so their shortcuts work everywhere in it) and
:mod:`reader.ui.menus` arranges them in menus."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence

Std = QKeySequence.StandardKey
Keys = Iterable[QKeySequence | QKeySequence.StandardKey | str]


def make_action(parent: QObject, text: str, slot: Callable[..., object], shortcuts: Keys = (),
                tip: str = "") -> QAction:
    """A window-wide action; standard keys repeating an explicit one are kept once."""
    action = QAction(text, parent)
    set_keys(action, shortcuts)
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    if tip:
        action.setStatusTip(tip)
    action.triggered.connect(slot)
    return action


def set_keys(action: QAction, shortcuts: Keys) -> None:
    seen: list[QKeySequence] = []
    for key in shortcuts:
        for seq in (QKeySequence.keyBindings(key) if isinstance(key, QKeySequence.StandardKey)
                    else [QKeySequence(key)]):
            if not seq.isEmpty() and all(seq != s for s in seen):
                seen.append(seq)
    action.setShortcuts(seen)
