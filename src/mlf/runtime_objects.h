// The archive's runtime kernels, compiled once and kept between builds.
// Every build of an archive for one compiler and flags compiles the same
// runtime kernels (kiln tune builds hundreds of firmwares, the tests
// hundreds of host executables; gemm_s8_dsp.c alone takes seconds), so each
// is compiled once and taken from CacheDir()/objects afterwards. The key is
// a hash of everything the object depends on: the compiler and its version,
// the flags, the source and every runtime header.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "mlf/tar_archive.h"
#include "support/status.h"

namespace kiln {

/// The objects of the runtime kernels (runtime/src/**.c) among `files`, an
/// archive's files already written under `dir`, compiled by `compile`
/// (compiler and flags, without -c or -o) in `dir`. The kernels include
/// only the runtime's headers (runtime/include/), so those and the source
/// decide the object. Without a usable cache folder they are compiled into
/// `dir`.
Expected<std::vector<std::filesystem::path>> RuntimeObjects(const FileMap& files,
                                                            const std::vector<std::string>& compile,
                                                            const std::filesystem::path& dir);

}  // namespace kiln
