#!/usr/bin/env bash
# Fuzzes every input path of Kiln end to end (tests/fuzz/, docs/fuzzing.md):
#   tflite_pipeline     TFLite bytes -> import ... C, MLF archive, plan and footprint renderers
#   onnx_pipeline       ONNX bytes, the same way
#   mlf_reader          archive bytes -> what `kiln run/footprint/micro` read from an archive
#   device_client       device bytes -> the host side of the device protocol
#   project_api_client  a template server's stdout -> the Project API client
#   rpc_frame_decoder   wire bytes -> the frame decoder
#   npy_reader          a .npy file -> what `kiln debug --against` reads
#   graph_blob          a graph executor blob -> the device's check, reset and run
#   tuning_records      a records file -> what `kiln compile --records` applies, then the compile
# Built with clang, AddressSanitizer and UndefinedBehaviorSanitizer. Any
# crash, sanitizer report, escaped exception, leak or hang (10 s per input)
# fails the run.
#
#   scripts/fuzz.sh [SECONDS]   each target for SECONDS (default 30): what CI runs
#   scripts/fuzz.sh --long      each target to at least 1,000,000 executions (a worker per core)
#   scripts/fuzz.sh ... TARGET  only that target
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=time
SECONDS_EACH=30
ONLY=""
for arg in "$@"; do
  case "$arg" in
    --long) MODE=long ;;
    [0-9]*) SECONDS_EACH=$arg ;;
    *) ONLY=$arg ;;
  esac
done
TARGETS=(tflite_pipeline onnx_pipeline mlf_reader device_client project_api_client rpc_frame_decoder npy_reader graph_blob
         tuning_records)

cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DKILN_FUZZ=ON -DKILN_BUILD_TESTS=OFF >/dev/null
cmake --build build-fuzz --target kiln_templates make_fuzz_seeds $(printf 'fuzz_%s ' "${TARGETS[@]}") -j"$(nproc)"
# The fuzz binaries sit in build-fuzz/tests/fuzz/, not beside the staged
# templates: point them there, so the pipelines see the boards' flags.
export KILN_TEMPLATES_DIR=$PWD/build-fuzz/share/kiln/templates

# Seeds: Kiln's own (tests/fuzz/make_fuzz_seeds.cc), plus the shared models
# small enough to compile many times a second, and ONNX's test models.
SEEDS=build-fuzz/seeds
rm -rf "$SEEDS"
./build-fuzz/tests/fuzz/make_fuzz_seeds "$SEEDS"
for m in ../shared/models/tflite/*/model.tflite; do
  [ -f "$m" ] && [ "$(stat -c %s "$m")" -lt 65536 ] && cp -f "$m" "$SEEDS/tflite_pipeline/$(basename "$(dirname "$m")").tflite"
done
mkdir -p "$SEEDS/onnx_pipeline" "$SEEDS/rpc_frame_decoder"
for m in /usr/share/libonnx-testdata/data/{node,simple,pytorch-operator}/*/model.onnx; do
  [ -f "$m" ] && cp -f "$m" "$SEEDS/onnx_pipeline/$(basename "$(dirname "$m")").onnx"
done

declare -A MAX_LEN=([tflite_pipeline]=100000 [onnx_pipeline]=200000 [mlf_reader]=400000 [device_client]=4096
                    [project_api_client]=8192 [rpc_frame_decoder]=1024 [npy_reader]=4096 [graph_blob]=131072
                    [tuning_records]=65536)
SUMMARY=()
for t in "${TARGETS[@]}"; do
  [ -n "$ONLY" ] && [ "$ONLY" != "$t" ] && continue
  corpus=build-fuzz/corpus/$t
  mkdir -p "$corpus"
  # A long run shares the machine with other work: 10 s per input there can
  # be CPU starvation, not a slow input (docs/reliability.md). It forks a
  # worker per core: the pipeline targets compile a model per input, and a
  # million of them on one core took most of a session.
  if [ "$MODE" = long ]; then limit=(-runs=1000000 -timeout=120 -fork="$(nproc)")
  else limit=(-max_total_time="$SECONDS_EACH" -timeout=10); fi
  log=build-fuzz/fuzz-$t.log
  echo "== fuzz_$t"
  if ! (cd build-fuzz && ./tests/fuzz/fuzz_"$t" "../$corpus" "../$SEEDS/$t" "${limit[@]}" \
          -rss_limit_mb=4096 -max_len="${MAX_LEN[$t]}" -print_final_stats=1 -artifact_prefix="fuzz-$t-" \
          >"../$log" 2>&1); then
    tail -n 40 "$log"
    echo "fuzz: fuzz_$t failed; the input is build-fuzz/fuzz-$t-*" >&2
    exit 1
  fi
  # One process prints its final stats; forked workers, their total.
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p; s/^INFO: fuzzed for \([0-9]*\) iterations.*/\1/p' "$log")
  secs=$(sed -n 's/^stat::.*//; s/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\2/p; s/^INFO: exiting: [0-9]* time: \([0-9]*\)s.*/\1/p' "$log")
  SUMMARY+=("$(printf '%-20s %10s executions in %5s s, no crash' "$t" "$runs" "${secs:-?}")")
done
printf '%s\n' "${SUMMARY[@]}"
echo "fuzz: no crash"
