#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and fuzzes the TFLite
# importer for SECONDS (default 60), seeded with the shared models, then the
# device protocol's frame decoder for a third of that, and the ONNX importer
# for SECONDS, seeded with the models of Debian's libonnx-testdata. Fails on any crash,
# sanitizer report, leak or hang (timeout 10 s per input).
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_TO_RUN=${1:-60}
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DKILN_FUZZ=ON -DKILN_BUILD_TESTS=OFF >/dev/null
cmake --build build-fuzz --target fuzz_tflite_importer fuzz_rpc_frame_decoder fuzz_onnx_importer -j"$(nproc)"
CORPUS=build-fuzz/corpus
mkdir -p "$CORPUS"
for m in ../shared/models/tflite/*/model.tflite; do
  [ -f "$m" ] && cp -f "$m" "$CORPUS/$(basename "$(dirname "$m")").tflite"
done
./build-fuzz/tests/fuzz/fuzz_tflite_importer "$CORPUS" -max_total_time="$SECONDS_TO_RUN" -timeout=10 \
  -rss_limit_mb=4096 -max_len=400000 -print_final_stats=1 2>&1 | tail -n 15
./build-fuzz/tests/fuzz/fuzz_rpc_frame_decoder -max_total_time="$((SECONDS_TO_RUN / 3 + 1))" -max_len=1024 \
  -timeout=10 -print_final_stats=1 2>&1 | tail -n 5
ONNX_CORPUS=build-fuzz/corpus-onnx
mkdir -p "$ONNX_CORPUS"
for m in /usr/share/libonnx-testdata/data/{node,simple,pytorch-operator}/*/model.onnx; do
  [ -f "$m" ] && cp -f "$m" "$ONNX_CORPUS/$(basename "$(dirname "$m")").onnx"
done
./build-fuzz/tests/fuzz/fuzz_onnx_importer "$ONNX_CORPUS" -max_total_time="$SECONDS_TO_RUN" -timeout=10 \
  -rss_limit_mb=4096 -max_len=200000 -print_final_stats=1 2>&1 | tail -n 15
echo "fuzz: no crash"
