#!/usr/bin/env bash
# Tuning figures (a benchmark, not a timed test). Per shared model, on
# qemu-cortex-m4: `kiln tune` over every candidate of every layer (grid,
# -j 2), its trials and wall time, and the tuned layers' estimated cycles
# and instructions against the default schedules', for every node (from the
# records). Then the search strategies replayed on person_detect's complete
# grid (bench/search_figures.cc): measurements needed to come within 2% of
# each layer's best, for grid, random, annealing and the model-guided search;
# and the same for the spaces generated from the loop nest (--auto-schedule)
# of a two-layer model of 1x1 convolutions and of one of depthwise layers.
# Usage: bench/tune_figures.sh [RECORDS_DIR]   (after scripts/build.sh)
# With RECORDS_DIR holding <model>.jsonl from an earlier run, those are
# resumed (nothing is measured twice).
set -euo pipefail
cd "$(dirname "$0")/.."
KILN=$PWD/build/kiln
ROOT=$PWD/../shared/models/tflite
WORK=${1:-$(mktemp -d)}
mkdir -p "$WORK"

printf "%-24s %6s %7s %9s %14s %14s %14s %14s\n" model tasks trials "wall s" "default instr" "tuned instr" \
  "default cycles" "tuned cycles"
for dir in "$ROOT"/*/; do
  m=$(basename "$dir")
  start=$(date +%s.%N)
  "$KILN" tune "$dir/model.tflite" --board qemu-cortex-m4 -j 2 --records "$WORK/$m.jsonl" >"$WORK/$m.log"
  wall=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.0f", e - s }')
  # Every node counted: each operator's default schedule (kiln compile)
  # and the tuned one (kiln compile --records, which names the task), at
  # their measured cost.
  "$KILN" compile "$dir/model.tflite" --target cortex-m4 -o "$WORK/$m-default.tar" >/dev/null
  "$KILN" compile "$dir/model.tflite" --target cortex-m4 --records "$WORK/$m.jsonl" -o "$WORK/$m-tuned.tar" >/dev/null
  tar -xOf "$WORK/$m-default.tar" metadata.json >"$WORK/$m-default.json"
  tar -xOf "$WORK/$m-tuned.tar" metadata.json >"$WORK/$m-tuned.json"
  python3 - "$WORK/$m.jsonl" "$WORK/$m-default.json" "$WORK/$m-tuned.json" "$m" "$wall" <<'PY'
import json, sys
records = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
default_ops = json.load(open(sys.argv[2]))["operators"]
tuned_ops = json.load(open(sys.argv[3]))["operators"]
def label(name, knobs):
    return name + ("(" + ",".join(f"{k}={v}" for k, v in sorted(knobs.items())) + ")" if knobs else "")
cost = {(r["task"], label(r["schedule"]["name"], r["schedule"]["knobs"])): r for r in records if r["valid"]}
sums = {"default": [0, 0], "tuned": [0, 0]}
for d, t in zip(default_ops, tuned_ops):
    if "tuned" not in t["schedule"]:
        continue
    task = t["schedule"]["tuned"]["task"]
    for which, op in (("default", d), ("tuned", t)):
        r = cost[(task, label(op["schedule"]["name"], op["schedule"]["knobs"]))]
        sums[which][0] += r["instructions"]
        sums[which][1] += r["cycles"]
tasks = len({r["task"] for r in records})
print(f"{sys.argv[4]:<24} {tasks:>6} {len(records):>7} {sys.argv[5]:>9} {sums['default'][0]:>14} "
      f"{sums['tuned'][0]:>14} {sums['default'][1]:>14} {sums['tuned'][1]:>14}")
PY
done

echo
./build/search_figures "$ROOT/person_detect/model.tflite" "$WORK/person_detect.jsonl" 20

# The spaces generated from the loop nest (--auto-schedule): a two-layer
# model of 1x1 convolutions (bench/bench_models.cc), every point of both
# spaces measured, then the strategies replayed on them.
echo
./build/bench_models "$WORK" >/dev/null
"$KILN" tune "$WORK/pointwise_pair.tflite" --board qemu-cortex-m4 -j 2 --auto-schedule --strategy grid \
  --records "$WORK/pointwise_pair.jsonl" >"$WORK/pointwise_pair.log"
sed -n '/^layer /,/^tuned layers/p' "$WORK/pointwise_pair.log"
./build/search_figures "$WORK/pointwise_pair.tflite" "$WORK/pointwise_pair.jsonl" 20 --auto-schedule

# The same for two depthwise layers (a 3x3 at stride 2, a 5x5 at stride 1).
echo
"$KILN" tune "$WORK/depthwise_pair.tflite" --board qemu-cortex-m4 -j 2 --auto-schedule --strategy grid \
  --records "$WORK/depthwise_pair.jsonl" >"$WORK/depthwise_pair.log"
sed -n '/^layer /,/^tuned layers/p' "$WORK/depthwise_pair.log"
./build/search_figures "$WORK/depthwise_pair.tflite" "$WORK/depthwise_pair.jsonl" 20 --auto-schedule
