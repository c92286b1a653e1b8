#!/usr/bin/env bash
# Installs, from Debian 12's archive, everything Kiln needs to build, test
# and run on the emulated boards; with --run, only what the main job needs
# (no test suite). Idempotent; skips apt when all is there.
# The tests use every tool listed here and fail (never skip) when one is
# missing, naming its package (tests/test_support.cc: test::Installed).
set -euo pipefail

# What the main job needs (scripts/demo.sh: --run): build kiln, and build
# and run models on the host and on the emulated boards.
RUN_PACKAGES=(
  # build; the host compiler also builds every model `kiln run` runs,
  # python3 runs the Project API template servers
  cmake ninja-build gcc g++ make pkg-config python3
  # libraries (see README: Dependencies)
  libflatbuffers-dev flatbuffers-compiler libfmt-dev libcli11-dev nlohmann-json3-dev libarchive-dev
  libonnx-dev libprotobuf-dev protobuf-compiler
  # kiln tune's learned cost model (gradient-boosted trees, C API)
  libxgboost-dev
  # cross compilers, C libraries and emulators for the device targets
  gcc-arm-none-eabi libnewlib-arm-none-eabi picolibc-arm-none-eabi
  gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf
  qemu-system-arm qemu-system-misc
)
# What the test suite needs besides (scripts/test.sh: everything).
TEST_PACKAGES=(
  libgtest-dev libgmock-dev
  # the generators of the kernels' expected values (tests/kernels/*.py) run on python3 above
  # tests of the report renderers: an XML parser for the plan SVG, a
  # headless browser that loads the footprint HTML report
  libxml2-dev chromium
  # ONNX's conformance data
  libonnx-testdata
  # NumPy reads and writes the .npy files of kiln debug in its tests (an
  # implementation of the format that is not Kiln's)
  python3-numpy
  # kiln tune --runner slurm: its test starts a real single-node cluster
  slurm-wlm munge
  # fuzzing
  clang libclang-rt-14-dev
  # the install tests: the Debian package (cpack's dependency scan needs
  # dpkg-shlibdeps and file) and the man page (groff, man)
  dpkg-dev file groff-base man-db
)
PACKAGES=("${RUN_PACKAGES[@]}")
[ "${1:-}" = --run ] || PACKAGES+=("${TEST_PACKAGES[@]}")

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
