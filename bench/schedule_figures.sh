#!/usr/bin/env bash
# Schedule figures on qemu-cortex-m4, per shared model, for the portable
# schedules (compiled for cortex-m3: the gemm in plain C, no DSP) and the
# DSP ones (compiled for cortex-m4): instructions per inference (QEMU
# -icount shift=0, `kiln micro time`), instructions per multiply-accumulate
# (MACs from metadata.json's schedules), the ratio to TensorFlow Lite Micro
# with CMSIS-NN (../shared/models/README.md), estimated Cortex-M4 cycles
# per inference and per MAC (docs/cycle-estimate.md; ms at 120 MHz), and
# flash of the model and runtime (`kiln micro size`). Figures, not a timed
# test.
# Usage: bench/schedule_figures.sh   (after scripts/build.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
KILN=$PWD/build/kiln
ROOT=../shared/models/tflite
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
declare -A CMSIS=([person_detect]=22929280 [micro_speech_quantized]=1495520)

printf "%-24s %-10s %12s %10s %9s %12s %11s %9s %10s\n" model schedules instructions "instr/MAC" "vs CMSIS" \
  cycles "cycles/MAC" "ms@120" flash
for dir in "$ROOT"/*/; do
  m=$(basename "$dir")
  for target in cortex-m3 cortex-m4; do
    p="$WORK/$m-$target"
    "$KILN" micro create-project "$p" "$dir/model.tflite" --template qemu-cortex-m4 --target "$target" >/dev/null
    "$KILN" micro build "$p" >/dev/null
    "$KILN" micro time "$p" --runs 1 >"$p/time.txt"
    instr=$(sed -n 's/^1 runs: \([0-9]*\) instructions per inference.*/\1/p' "$p/time.txt")
    cycles=$(sed -n 's/.*estimated Cortex-M4 cycles: \([0-9]*\) .*/\1/p' "$p/time.txt")
    "$KILN" micro size "$p" --format json >"$p/size.json"
    read -r macs flash < <(python3 - "$p/model/metadata.json" "$p/size.json" <<'PY'
import json, sys
meta = json.load(open(sys.argv[1]))
size = json.load(open(sys.argv[2]))
print(sum(o["schedule"]["macs"] for o in meta["operators"]), size["model_and_runtime"]["flash_bytes"])
PY
)
    per_mac=$(awk -v i="$instr" -v m="$macs" 'BEGIN { if (m > 0) printf "%.2f", i / m; else print "-" }')
    ratio=$(awk -v i="$instr" -v c="${CMSIS[$m]:-0}" 'BEGIN { if (c > 0) printf "%.2fx", i / c; else print "-" }')
    cycles_per_mac=$(awk -v c="$cycles" -v m="$macs" 'BEGIN { if (m > 0) printf "%.2f", c / m; else print "-" }')
    ms=$(awk -v c="$cycles" 'BEGIN { printf "%.2f", c / 120000 }')
    label=$([ "$target" = cortex-m4 ] && echo dsp || echo portable)
    printf "%-24s %-10s %12s %10s %9s %12s %11s %9s %10s\n" "$m" "$label" "$instr" "$per_mac" "$ratio" \
      "$cycles" "$cycles_per_mac" "$ms" "$flash"
  done
done
