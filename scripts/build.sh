#!/usr/bin/env bash
# Configures and builds Kiln in build/.
#   scripts/build.sh        everything: kiln, the test suite, the benchmarks
#   scripts/build.sh kiln   only the kiln binary and the data it reads (the main job)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = kiln ]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKILN_BUILD_TESTS=OFF >/dev/null
  cmake --build build -j"$(nproc)" --target kiln
else
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKILN_BUILD_TESTS=ON >/dev/null
  cmake --build build -j"$(nproc)"
fi
