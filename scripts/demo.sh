#!/usr/bin/env bash
# The main job, end to end: install, build, compile a real model (the
# person-detection network of TFLite Micro) to a Model Library Format
# archive, run it on the host, then on the emulated Cortex-M4 and RISC-V
# boards (where their toolchains are present), and compare every output
# with TFLite Micro's.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --run
bash scripts/build.sh kiln

MODEL=${MODEL:-../shared/models/tflite/person_detect}
CASE=${CASE:-seed_0x00c0ffee}
OUT=out/demo
rm -rf "$OUT" && mkdir -p "$OUT"

echo "== kiln inspect (summary)"
./build/kiln inspect "$MODEL/model.tflite" | tail -n 2
echo "== kiln compile"
./build/kiln compile "$MODEL/model.tflite" -o "$OUT/model.tar"
echo "== kiln run (host, from the .tflite)"
./build/kiln run "$MODEL/model.tflite" --input "$MODEL/cases/$CASE/input_0.bin" --output-dir "$OUT/host"
echo "== kiln run (host, from the MLF archive)"
./build/kiln run "$OUT/model.tar" --input "$MODEL/cases/$CASE/input_0.bin" --output-dir "$OUT/host_mlf"
DIRS="host host_mlf"
for board in qemu-cortex-m4 qemu-rv32; do
  case $board in
    qemu-cortex-m4) tools="arm-none-eabi-gcc qemu-system-arm" ;;
    qemu-rv32) tools="riscv64-unknown-elf-gcc qemu-system-riscv32" ;;
  esac
  if ! command -v $tools >/dev/null 2>&1; then
    echo "== $board: skipped ($tools not installed)"
    continue
  fi
  echo "== kiln run --device $board (compiled for the board's processor: its schedules)"
  ./build/kiln run "$MODEL/model.tflite" --device "$board" --input "$MODEL/cases/$CASE/input_0.bin" --output-dir "$OUT/$board"
  DIRS="$DIRS $board"
done
for d in $DIRS; do
  if cmp -s "$OUT/$d/output_0.bin" "$MODEL/cases/$CASE/output_0.bin"; then
    echo "$d: output_0.bin matches TensorFlow Lite Micro byte for byte"
  else
    echo "$d: output_0.bin DIFFERS from TensorFlow Lite Micro" >&2
    exit 1
  fi
done
