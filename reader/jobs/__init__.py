"""Background jobs: work that spans the store and the core, run off the GUI.

This layer sits above ``core``, ``store`` and ``search`` and below ``ui``
(see docs/ARCHITECTURE.md, "Layers"):

* :mod:`reader.jobs.process` - :func:`~reader.jobs.process.run_in_process`, a
  function run in a spawned process with progress and cancel relayed back;
* :mod:`reader.jobs.imports` - big imports in their own process;
* :mod:`reader.jobs.entities` - the entities pass over a whole library.

Nothing here imports Qt: the CLI, the window's workers and the benchmarks all
call the same functions.
"""

from __future__ import annotations
