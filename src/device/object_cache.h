// Compiled runtime objects, kept between firmware builds. Every firmware of
// a board compiles the same runtime kernels with the same flags (kiln tune
// builds hundreds; gemm_s8_dsp.c alone takes seconds), so each is compiled
// once and taken from CacheDir()/objects afterwards. The key is a hash of
// everything the object depends on: the compiler and its version, the
// flags, the source and every runtime header.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "support/status.h"

namespace kiln {

/// The object of `source` (a path relative to `dir`) compiled by
/// `compile` (compiler and flags, without -c or -o), from the cache or
/// compiled now into it. `headers_hash` stands for the headers it may
/// include. Without a usable cache folder it is compiled into `dir`.
Expected<std::filesystem::path> CachedObject(const std::vector<std::string>& compile, const std::filesystem::path& dir,
                                             const std::string& source, uint64_t headers_hash);

}  // namespace kiln
