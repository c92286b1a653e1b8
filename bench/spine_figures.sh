#!/usr/bin/env bash
# Figures for every shared model: compile time, generated code size (`size`
# of the host object and of the Cortex-M4 object: text/data/bss), planned
# workspace and state, and whether every reference case matches.
# Usage: bench/spine_figures.sh   (after scripts/build.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
KILN=./build/kiln
ROOT=../shared/models/tflite
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ARM_FLAGS="-O2 -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16"

printf "%-24s %9s %26s %26s %10s %7s %s\n" model compile_s "host text/data/bss" "arm-m4 text/data/bss" workspace state cases
for dir in "$ROOT"/*/; do
  m=$(basename "$dir")
  start=$(date +%s.%N)
  "$KILN" compile "$dir/model.tflite" -o "$WORK/$m.tar" >/dev/null
  end=$(date +%s.%N)
  mkdir -p "$WORK/$m" && tar -xf "$WORK/$m.tar" -C "$WORK/$m"
  make -s -C "$WORK/$m" BUILD=host >/dev/null
  make -s -C "$WORK/$m" BUILD=arm CC=arm-none-eabi-gcc AR=arm-none-eabi-ar CFLAGS="$ARM_FLAGS" >/dev/null
  sum() { size -t "$1" | tail -n 1 | awk '{printf "%d/%d/%d", $1, $2, $3}'; }
  host=$(sum "$WORK/$m/host/libkiln_default.a")
  arm=$(arm-none-eabi-size -t "$WORK/$m/arm/libkiln_default.a" | tail -n 1 | awk '{printf "%d/%d/%d", $1, $2, $3}')
  ws=$(grep -o 'WORKSPACE_POOL_SIZE [0-9]*' "$WORK/$m/codegen/host/include/kiln_default.h" | awk '{print $2}')
  st=$(grep -o 'STATE_BYTES [0-9]*' "$WORK/$m/codegen/host/include/kiln_default.h" | awk '{print $2}')
  ok=0; total=0
  for c in "$dir"/cases/*/; do
    total=$((total + 1))
    rm -rf "$WORK/out"
    "$KILN" run "$WORK/$m.tar" --input "$c/input_0.bin" --output-dir "$WORK/out" >/dev/null
    if cmp -s "$WORK/out/output_0.bin" "$c/output_0.bin"; then ok=$((ok + 1)); fi
  done
  printf "%-24s %9.2f %26s %26s %10s %7s %s\n" "$m" "$(awk "BEGIN{print $end - $start}")" "$host" "$arm" "$ws" "$st" "$ok/$total byte-exact"
done
