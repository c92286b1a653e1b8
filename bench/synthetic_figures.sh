#!/usr/bin/env bash
# Instructions per inference on qemu-cortex-m4 (QEMU -icount shift=0) of
# int8 models not in ../shared, of the kinds acceptance measures
# (bench/bench_models.cc writes them): the reference loops (--opt size)
# against the default (DSP) schedules, the DSP run's estimated Cortex-M4
# cycles (docs/cycle-estimate.md), and whether both give the same bytes.
# Figures, not a timed test.
# Usage: bench/synthetic_figures.sh   (after scripts/build.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
KILN=$PWD/build/kiln
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ninja -C build bench_models >/dev/null
./build/bench_models "$WORK"
head -c 640 /dev/urandom >"$WORK/autoencoder.in0"
head -c 16384 /dev/urandom >"$WORK/residual_add.in0"
head -c 16384 /dev/urandom >"$WORK/residual_add.in1"
head -c 490 /dev/urandom >"$WORK/ds_cnn.in0"
head -c 3072 /dev/urandom >"$WORK/resnet.in0"
head -c 27648 /dev/urandom >"$WORK/mobilenet_v1.in0"
head -c 27648 /dev/urandom >"$WORK/mobilenet_v2.in0"
head -c 3072 /dev/urandom >"$WORK/cifar10_cnn.in0"
printf "%-16s %14s %14s %8s %14s %s\n" model reference dsp speedup "dsp cycles" same
for m in autoencoder residual_add ds_cnn resnet mobilenet_v1 mobilenet_v2 cifar10_cnn; do
  inputs=("$WORK/$m".in*)
  declare -A instr=()
  for opt in size speed; do
    "$KILN" run "$WORK/$m.tflite" -i "${inputs[@]}" -O "$WORK/$m-$opt" --device qemu-cortex-m4 --opt "$opt" \
      >"$WORK/$m-$opt.txt" 2>&1
    instr[$opt]=$(sed -n 's/.*one inference took \([0-9]*\) instructions.*/\1/p' "$WORK/$m-$opt.txt")
  done
  cycles=$(sed -n 's/.*estimated Cortex-M4 cycles: \([0-9]*\).*/\1/p' "$WORK/$m-speed.txt")
  same=$(cmp -s "$WORK/$m-size/output_0.bin" "$WORK/$m-speed/output_0.bin" && echo yes || echo NO)
  speedup=$(awk -v a="${instr[size]}" -v b="${instr[speed]}" 'BEGIN { printf "%.2fx", a / b }')
  printf "%-16s %14s %14s %8s %14s %s\n" "$m" "${instr[size]}" "${instr[speed]}" "$speedup" "$cycles" "$same"
done
