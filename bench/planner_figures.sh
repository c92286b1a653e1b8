#!/usr/bin/env bash
# Planner figures for every shared model and every memory planner: planned
# workspace bytes, lower bound, gap, planning time (and the execution-order
# peak before/after). A benchmark, not a test.
# Usage: bench/planner_figures.sh   (after scripts/build.sh)
# Planned with --io-in-pools: "ram" is every pool, the model's inputs and
# outputs included, the RAM an arena holding everything needs, beside
# TensorFlow Lite Micro's arena (../shared/models/README.md, x86-64).
set -euo pipefail
cd "$(dirname "$0")/.."
ninja -C build planner_figures >/dev/null
exec ./build/planner_figures ../shared/models/tflite
