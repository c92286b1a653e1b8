// Reading and writing tar archives with libarchive, deterministically:
// entries sorted by path, zero timestamps and owners, fixed modes, so the
// same files always give the same bytes.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "support/status.h"

namespace kiln {

/// Path inside the archive -> file contents.
using FileMap = std::map<std::string, std::string>;

/// The bytes of `files` as a ustar archive.
Expected<std::string> TarArchiveBytes(const FileMap& files);
/// Writes `files` as a ustar archive at `path`, atomically: the archive
/// appears complete or not at all.
Status WriteTarArchive(const std::filesystem::path& path, const FileMap& files);

/// Reads every regular file of the tar archive `bytes`; `name` is what
/// errors call it. Refuses absolute paths, '..' components, names that are
/// not printable UTF-8 and archives over `max_bytes` of contents.
Expected<FileMap> ReadTarBytes(std::string_view bytes, std::string_view name,
                               size_t max_bytes = size_t{1} << 30);
/// ReadTarBytes of the file at `path`.
Expected<FileMap> ReadTarArchive(const std::filesystem::path& path, size_t max_bytes = size_t{1} << 30);

}  // namespace kiln
