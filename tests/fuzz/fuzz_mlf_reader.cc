// libFuzzer target: arbitrary bytes as an MLF archive, through what `kiln
// run model.tar`, `kiln footprint model.tar` and `kiln micro` read from it
// before any compiler runs: the tar reader, the format checks, the
// interface, the plan's table and picture, the footprint estimate and
// report. An archive may come from anywhere: every field of its
// metadata.json may have any shape (fuzz_pipeline.h).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_pipeline.h"
#include "mlf/tar_archive.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  kiln::fuzz::WarmSizeTables();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto files = kiln::ReadTarBytes(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.tar",
                                  size_t{16} << 20);
  if (!files.ok()) return 0;
  auto library = kiln::ParseModelLibrary(std::move(*files), "fuzz.tar");
  if (!library.ok()) return 0;
  kiln::fuzz::ReadArchive(*library, /*trusted=*/false);
  return 0;
}
