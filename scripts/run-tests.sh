#!/usr/bin/env bash
# Run the whole test suite offscreen. pytest's exit code 5 ("no tests collected")
# is a failure here: a run that tests nothing must never pass.
set -uo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=offscreen
export PYTHONDONTWRITEBYTECODE=1
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
rc=$?
if [[ $rc -eq 5 ]]; then
  echo "pytest collected no tests: failing on purpose (a run that tests nothing is not a pass)" >&2
  exit 1
fi
exit $rc
