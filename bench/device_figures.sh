#!/usr/bin/env bash
# Device figures for every shared model on an emulated board (default
# qemu-cortex-m4), beside TensorFlow Lite Micro's from
# ../shared/models/README.md. How each figure is measured:
#  - instructions: `kiln micro time --runs 3`: guest instructions per
#    inference under QEMU -icount shift=0 (the board timer counts them;
#    deterministic, not cycles), the mean of 3 runs;
#  - RAM: the planned pools (workspace + state, from the MLF metadata) plus
#    the stack high-water mark of run(), measured on the device by stack
#    painting (docs/rpc-protocol.md, STACK). The model's input and output
#    buffers belong to the application and are not in `ram`; TFLM's arena
#    does hold them, so add the io column to compare like with like;
#  - flash: text + rodata + data of the model's code, its constants and the
#    runtime kernels, as linked with --gc-sections at -O2 (`kiln micro
#    size`, from the link map); the protocol server and the C library are
#    not counted.
# Usage: bench/device_figures.sh [board]   (after scripts/build.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
KILN=$PWD/build/kiln
BOARD=${1:-qemu-cortex-m4}
ROOT=../shared/models/tflite
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# TFLM on the same models (../shared/models/README.md): instructions on
# Cortex-M4 (reference kernels / CMSIS-NN) and the arena (M4 where given,
# else x86-64).
declare -A TFLM_INSTR=([person_detect]="95.7M ref, 22.9M cmsis" [micro_speech_quantized]="1.50M cmsis")
declare -A TFLM_ARENA=([person_detect]="82320 (M4)" [micro_speech_quantized]="6848 (M4)"
                       [hello_world_int8]="1184 (x86)" [keyword_scrambled_8bit]="9600 (x86)")

printf "%-24s %14s %9s %7s %7s %9s %9s   %-24s %s\n" model instructions pools stack io ram flash \
  "tflm instructions" "tflm arena"
for dir in "$ROOT"/*/; do
  m=$(basename "$dir")
  p="$WORK/$m"
  "$KILN" micro create-project "$p" "$dir/model.tflite" --template "$BOARD" >/dev/null
  "$KILN" micro build "$p" >/dev/null
  timing=$("$KILN" micro time "$p" --runs 3)
  instr=$(sed -n 's/^3 runs: \([0-9]*\) instructions per inference.*/\1/p' <<<"$timing")
  stack=$(sed -n 's/^stack of run(): \(at least \)\{0,1\}\([0-9]*\) bytes.*/\2/p' <<<"$timing")
  "$KILN" micro size "$p" --format json >"$p/size.json"
  read -r pools io flash < <(python3 - "$p/model/metadata.json" "$p/size.json" <<'PY'
import json, sys
meta = json.load(open(sys.argv[1]))
size = json.load(open(sys.argv[2]))
pools = sum(p["size_bytes"] for p in meta["memory"]["pools"])
io = sum(t["size_bytes"] for t in meta["inputs"] + meta["outputs"])
print(pools, io, size["model_and_runtime"]["flash_bytes"])
PY
)
  printf "%-24s %14s %9s %7s %7s %9s %9s   %-24s %s\n" "$m" "$instr" "$pools" "$stack" "$io" \
    "$((pools + stack))" "$flash" "${TFLM_INSTR[$m]:--}" "${TFLM_ARENA[$m]:--}"
done
echo "ram = pools + stack (io: the model's input and output buffers, held by the application; TFLM's arena holds them)"
