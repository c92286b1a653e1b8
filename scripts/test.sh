#!/usr/bin/env bash
# Installs what is needed, builds, and runs every test: the GoogleTest
# suite (unit, importer, malformed corpus, end to end on the shared models,
# cross-compilation) and a short libFuzzer run of every input path
# (scripts/fuzz.sh, docs/reliability.md).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
# A skipped test fails the run (tests/test_main.cc); so does finding no test.
(cd build && ctest --output-on-failure --no-tests=error -j"$(nproc)")
bash scripts/fuzz.sh "${KILN_FUZZ_SECONDS:-30}"
