#!/usr/bin/env bash
# Installs, from Debian 12's archive, everything Kiln needs to build, test
# and run on the emulated boards. Idempotent; skips apt when all is there.
# The tests use every tool listed here and fail (never skip) when one is
# missing, naming its package (tests/test_support.cc: test::Installed).
set -euo pipefail

PACKAGES=(
  # build; the host compiler also builds every model the tests run, python3
  # runs the Project API template servers and the generators of the
  # kernels' expected values (tests/kernels/*.py)
  cmake ninja-build gcc g++ make pkg-config python3
  # libraries (see README: Dependencies)
  libflatbuffers-dev flatbuffers-compiler libfmt-dev libcli11-dev nlohmann-json3-dev
  libarchive-dev libgtest-dev libgmock-dev
  # tests of the report renderers: an XML parser for the plan SVG, a
  # headless browser that loads the footprint HTML report
  libxml2-dev chromium
  # ONNX import and its conformance data
  libonnx-dev libprotobuf-dev protobuf-compiler libonnx-testdata
  # fuzzing
  clang libclang-rt-14-dev
  # cross compilers, C libraries and emulators for the device targets
  gcc-arm-none-eabi libnewlib-arm-none-eabi picolibc-arm-none-eabi
  gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf
  qemu-system-arm qemu-system-misc
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
