#!/usr/bin/env bash
# Planner figures for every shared model and every memory planner: planned
# workspace bytes, lower bound, gap, planning time (and the execution-order
# peak before/after). A benchmark, not a test.
# Usage: bench/planner_figures.sh   (after scripts/build.sh)
# TODO(issue 7): columns for --io-in-pools and the TFLM arena are printed
# as "-" by bench/planner_figures.cc until those land.
set -euo pipefail
cd "$(dirname "$0")/.."
ninja -C build planner_figures >/dev/null
exec ./build/planner_figures ../shared/models/tflite
