#include "mlf/tar_archive.h"

#include <archive.h>
#include <archive_entry.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>

#include "support/utf8.h"
#include "support/write_file_atomically.h"

namespace kiln {
namespace {

struct ArchiveDeleter {
  void operator()(struct archive* a) const { archive_write_free(a); }
};
struct ReadArchiveDeleter {
  void operator()(struct archive* a) const { archive_read_free(a); }
};
struct EntryDeleter {
  void operator()(struct archive_entry* e) const { archive_entry_free(e); }
};

// libarchive's writer hands its output here: the archive builds in memory.
la_ssize_t AppendToString(struct archive*, void* client, const void* buffer, size_t length) {
  static_cast<std::string*>(client)->append(static_cast<const char*>(buffer), length);
  return static_cast<la_ssize_t>(length);
}

std::string ArchiveError(struct archive* a, const char* fallback = "unknown error") {
  const char* e = archive_error_string(a);
  return PrintableName(e != nullptr ? e : fallback);
}

bool SafeArchivePath(const std::string& path) {
  if (path.empty() || path[0] == '/') return false;
  for (const auto& part : std::filesystem::path(path)) {
    if (part == "..") return false;
  }
  return true;
}

}  // namespace

Expected<std::string> TarArchiveBytes(const FileMap& files) {
  std::string bytes;
  std::unique_ptr<struct archive, ArchiveDeleter> a(archive_write_new());
  archive_write_set_format_ustar(a.get());
  archive_write_add_filter_none(a.get());
  if (archive_write_open(a.get(), &bytes, nullptr, AppendToString, nullptr) != ARCHIVE_OK)
    return MakeError("{}", archive_error_string(a.get()));
  for (const auto& [name, contents] : files) {
    std::unique_ptr<struct archive_entry, EntryDeleter> e(archive_entry_new());
    archive_entry_set_pathname(e.get(), name.c_str());
    archive_entry_set_size(e.get(), static_cast<la_int64_t>(contents.size()));
    archive_entry_set_filetype(e.get(), AE_IFREG);
    archive_entry_set_perm(e.get(), 0644);
    archive_entry_set_mtime(e.get(), 0, 0);
    archive_entry_set_uid(e.get(), 0);
    archive_entry_set_gid(e.get(), 0);
    if (archive_write_header(a.get(), e.get()) != ARCHIVE_OK)
      return MakeError("'{}': {}", PrintableName(name), archive_error_string(a.get()));
    if (!contents.empty() &&
        archive_write_data(a.get(), contents.data(), contents.size()) != static_cast<la_ssize_t>(contents.size()))
      return MakeError("'{}': {}", PrintableName(name), archive_error_string(a.get()));
  }
  if (archive_write_close(a.get()) != ARCHIVE_OK) return MakeError("{}", archive_error_string(a.get()));
  return bytes;
}

Status WriteTarArchive(const std::filesystem::path& path, const FileMap& files) {
  auto bytes = TarArchiveBytes(files);
  if (!bytes.ok()) return MakeError("cannot write archive '{}': {}", path.string(), bytes.message());
  return WriteFileAtomically(path, *bytes);
}

Expected<FileMap> ReadTarBytes(std::string_view bytes, std::string_view name, size_t max_bytes) {
  std::unique_ptr<struct archive, ReadArchiveDeleter> a(archive_read_new());
  archive_read_support_format_tar(a.get());
  archive_read_support_format_gnutar(a.get());
  archive_read_support_filter_all(a.get());
  if (archive_read_open_memory(a.get(), bytes.data(), bytes.size()) != ARCHIVE_OK)
    return MakeError("cannot read archive '{}': {}", name, ArchiveError(a.get()));
  FileMap files;
  size_t total = 0;
  struct archive_entry* entry = nullptr;
  int r;
  while ((r = archive_read_next_header(a.get(), &entry)) == ARCHIVE_OK) {
    if (archive_entry_filetype(entry) != AE_IFREG) continue;
    const char* raw_path = archive_entry_pathname(entry);
    std::string path = raw_path != nullptr ? raw_path : "";
    if (path.rfind("./", 0) == 0) path = path.substr(2);
    // A path that is not printable text could not be named in an error, a
    // metadata file or a project folder: refuse it with the others.
    if (!SafeArchivePath(path) || PrintableName(path) != path)
      return MakeError("archive '{}': unsafe path '{}'", name, PrintableName(path));
    const la_int64_t size = archive_entry_size(entry);
    if (size < 0 || static_cast<uint64_t>(size) > max_bytes - total)
      return MakeError("archive '{}': contents exceed {} bytes", name, max_bytes);
    std::string contents(static_cast<size_t>(size), '\0');
    if (size > 0 && archive_read_data(a.get(), contents.data(), contents.size()) != size)
      return MakeError("archive '{}': cannot read '{}': {}", name, path, ArchiveError(a.get(), "short read"));
    total += contents.size();
    files[path] = std::move(contents);
  }
  if (r != ARCHIVE_EOF)
    return MakeError("archive '{}' is not a readable tar file: {}", name, ArchiveError(a.get(), "corrupt"));
  return files;
}

Expected<FileMap> ReadTarArchive(const std::filesystem::path& path, size_t max_bytes) {
  const std::string name = PrintableName(path.string());
  std::error_code ec;
  const uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) return MakeError("cannot read archive '{}': {}", name, ec.message());
  // A tar holds its contents plus headers: refuse a file far over the limit
  // before reading it.
  if (size > max_bytes + max_bytes / 8 + (size_t{1} << 20))
    return MakeError("archive '{}': contents exceed {} bytes", name, max_bytes);
  std::ifstream in(path, std::ios::binary);
  std::string bytes(static_cast<size_t>(size), '\0');
  if (!in.read(bytes.data(), static_cast<std::streamsize>(bytes.size())))
    return MakeError("cannot read archive '{}': {}", name, std::strerror(errno));
  return ReadTarBytes(bytes, name, max_bytes);
}

}  // namespace kiln
