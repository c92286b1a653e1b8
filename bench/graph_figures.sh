#!/usr/bin/env bash
# AoT against the graph executor on an emulated board (default
# qemu-cortex-m4), per shared model, both compiled for the board's
# processor (the same kernels and schedules). How each figure is measured:
#  - instructions per inference: `kiln micro time` under QEMU -icount
#    shift=0. The graph executor checks its blob (size, CRC, every table)
#    once, when it first runs it: "load" is that one-off cost, (1 run) -
#    (11 runs - 1 run) / 10, and the graph's per-inference figure is the
#    steady state, (11 runs - 1 run) / 10;
#  - flash: `kiln micro size` (the link map, --gc-sections, -O2): the
#    model's code (AoT run() and its params; graph: the interpreter's
#    calls and tables), its constants (AoT: the weights; graph: the blob,
#    weights and parameters) and the runtime kernels (graph: with the
#    interpreter);
#  - RAM: the planned pools (metadata.json), the model's other static data
#    (`kiln micro size`, model code bss minus the pools) and the stack of
#    run() (stack painting, `kiln micro time`).
# Usage: bench/graph_figures.sh [board]   (after scripts/build.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
KILN=$PWD/build/kiln
BOARD=${1:-qemu-cortex-m4}
ROOT=../shared/models/tflite
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

instructions() {  # project runs -> instructions per inference, the mean of `runs`
  "$KILN" micro time "$1" --runs "$2" | sed -n "s/^$2 runs: \([0-9]*\) instructions per inference.*/\1/p"
}

printf "%-24s %-6s %12s %10s %10s %10s %10s %8s %8s %6s %8s\n" model exec "instr/inf" load "code" "constants" \
  "kernels" pools static stack "ram"
for dir in "$ROOT"/*/; do
  m=$(basename "$dir")
  for exec in aot graph; do
    p="$WORK/$m-$exec"
    "$KILN" micro create-project "$p" "$dir/model.tflite" --template "$BOARD" --executor "$exec" >/dev/null
    "$KILN" micro build "$p" >/dev/null
    one=$(instructions "$p" 1)
    eleven=$(instructions "$p" 11)
    steady=$(( (eleven * 11 - one) / 10 ))
    load=$(( one - steady ))
    [ "$exec" = aot ] && load=0
    stack=$("$KILN" micro time "$p" --runs 1 | sed -n 's/^stack of run(): \(at least \)\{0,1\}\([0-9]*\) bytes.*/\2/p')
    "$KILN" micro size "$p" --format json >"$p/size.json"
    read -r code constants kernels pools static < <(python3 - "$p/model/metadata.json" "$p/size.json" <<'PY'
import json, sys
meta = json.load(open(sys.argv[1]))
parts = {q["part"]: q for q in json.load(open(sys.argv[2]))["parts"]}
pools = sum(p["size_bytes"] for p in meta["memory"]["pools"])
code = parts["model code"]
print(code["flash_bytes"], parts["model constants"]["flash_bytes"], parts["runtime kernels"]["flash_bytes"],
      pools, code["ram_bytes"] - pools)
PY
)
    printf "%-24s %-6s %12s %10s %10s %10s %10s %8s %8s %6s %8s\n" "$m" "$exec" "$steady" "$load" "$code" \
      "$constants" "$kernels" "$pools" "$static" "$stack" "$((pools + static + stack))"
  done
done
echo "instr/inf: steady state; load: the graph's one-off blob check; flash = code + constants + kernels;"
echo "ram = pools + static + stack (the inputs and outputs are the application's)"
