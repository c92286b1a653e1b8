#!/bin/sh
# Figures for `kiln footprint`: per shared model and board, estimated vs
# measured flash, RAM and stack and the error in percent, and each part
# (generated code, constants, kernels, stack) in bytes (from the proof
# test, which builds and runs the real firmware; see docs/footprint.md for
# what is compared), and how long `kiln footprint` takes with a cold size
# table (measured now) and a warm one (read from the cache).
set -eu
cd "$(dirname "$0")/.."
KILN=build/kiln
TESTS=build/tests/kiln_tests
MODELS=../shared/models/tflite

proof=$(mktemp)
trap 'rm -f "$proof"' EXIT
"$TESTS" --gtest_filter='Boards/FootprintProof.*' >"$proof" 2>&1 || true
echo "model board | flash est linked err | RAM est measured err | stack est measured err | libraries"
grep '^FIGURE' "$proof" | sed 's/^FIGURE //'
echo
echo "model board | per part: estimated, measured, difference in bytes"
grep '^PARTS' "$proof" | sed 's/^PARTS //'

cache=$(mktemp -d)
trap 'rm -rf "$cache" "$proof"' EXIT
echo
echo "time of kiln footprint (seconds):"
for target in cortex-m4 rv32imac; do
  for model in hello_world_int8 person_detect; do
    start=$(date +%s.%N)
    KILN_CACHE_DIR=$cache/$target-$model "$KILN" footprint "$MODELS/$model/model.tflite" --target $target >/dev/null 2>&1
    mid=$(date +%s.%N)
    KILN_CACHE_DIR=$cache/$target-$model "$KILN" footprint "$MODELS/$model/model.tflite" --target $target >/dev/null
    end=$(date +%s.%N)
    echo "$target $model: cold table $(echo "$mid - $start" | bc) s, warm $(echo "$end - $mid" | bc) s"
  done
done
