#!/usr/bin/env bash
# Soak figures of the device link under faults (docs/soak.md): runs the
# soak test (1,000 inferences of keyword_scrambled_8bit and 250 of
# micro_speech_quantized on qemu-cortex-m4, through a fault injector, with
# board resets) and prints its counts of faults, recoveries and errors, and
# the time per inference. ~3 minutes.
# Usage: bench/soak.sh   (after scripts/build.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(build/tests/kiln_tests --gtest_filter='Models/DeviceSoakTest.*' 2>&1) || status=$?
grep '^SOAK' <<<"$out" | sed 's/^SOAK //'
if [ "${status:-0}" -ne 0 ]; then
  echo "the soak test failed:" >&2
  grep -v '^SOAK' <<<"$out" >&2
  exit "$status"
fi
