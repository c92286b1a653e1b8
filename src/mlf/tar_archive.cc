#include "mlf/tar_archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <unistd.h>

#include <memory>

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

bool SafeArchivePath(const std::string& path) {
  if (path.empty() || path[0] == '/') return false;
  for (const auto& part : std::filesystem::path(path)) {
    if (part == "..") return false;
  }
  return true;
}

}  // namespace

Status WriteTarArchive(const std::filesystem::path& path, const FileMap& files) {
  const std::filesystem::path partial =
      path.string() + ".partial-" + std::to_string(static_cast<long>(getpid()));
  auto fail = [&](const std::string& what) -> Status {
    std::error_code ec;
    std::filesystem::remove(partial, ec);
    return MakeError("cannot write archive '{}': {}", path.string(), what);
  };
  {
    std::unique_ptr<struct archive, ArchiveDeleter> a(archive_write_new());
    archive_write_set_format_ustar(a.get());
    archive_write_add_filter_none(a.get());
    if (archive_write_open_filename(a.get(), partial.c_str()) != ARCHIVE_OK)
      return fail(archive_error_string(a.get()));
    for (const auto& [name, contents] : files) {
      std::unique_ptr<struct archive_entry, EntryDeleter> e(archive_entry_new());
      archive_entry_set_pathname(e.get(), name.c_str());
      archive_entry_set_size(e.get(), static_cast<la_int64_t>(contents.size()));
      archive_entry_set_filetype(e.get(), AE_IFREG);
      archive_entry_set_perm(e.get(), 0644);
      archive_entry_set_mtime(e.get(), 0, 0);
      archive_entry_set_uid(e.get(), 0);
      archive_entry_set_gid(e.get(), 0);
      if (archive_write_header(a.get(), e.get()) != ARCHIVE_OK) return fail(archive_error_string(a.get()));
      if (!contents.empty() &&
          archive_write_data(a.get(), contents.data(), contents.size()) != static_cast<la_ssize_t>(contents.size()))
        return fail(archive_error_string(a.get()));
    }
    if (archive_write_close(a.get()) != ARCHIVE_OK) return fail(archive_error_string(a.get()));
  }
  std::error_code ec;
  std::filesystem::rename(partial, path, ec);
  if (ec) return fail(ec.message());
  return Status::Ok();
}

Expected<FileMap> ReadTarArchive(const std::filesystem::path& path, size_t max_bytes) {
  std::unique_ptr<struct archive, ReadArchiveDeleter> a(archive_read_new());
  archive_read_support_format_tar(a.get());
  archive_read_support_format_gnutar(a.get());
  archive_read_support_filter_all(a.get());
  if (archive_read_open_filename(a.get(), path.c_str(), 1 << 16) != ARCHIVE_OK)
    return MakeError("cannot read archive '{}': {}", path.string(), archive_error_string(a.get()));
  FileMap files;
  size_t total = 0;
  struct archive_entry* entry = nullptr;
  int r;
  while ((r = archive_read_next_header(a.get(), &entry)) == ARCHIVE_OK) {
    if (archive_entry_filetype(entry) != AE_IFREG) continue;
    std::string name = archive_entry_pathname(entry);
    if (name.rfind("./", 0) == 0) name = name.substr(2);
    if (!SafeArchivePath(name))
      return MakeError("archive '{}': unsafe path '{}'", path.string(), name);
    const la_int64_t size = archive_entry_size(entry);
    if (size < 0 || static_cast<size_t>(size) > max_bytes - total)
      return MakeError("archive '{}': contents exceed {} bytes", path.string(), max_bytes);
    std::string contents(static_cast<size_t>(size), '\0');
    if (size > 0 && archive_read_data(a.get(), contents.data(), contents.size()) != size)
      return MakeError("archive '{}': cannot read '{}': {}", path.string(), name,
                       archive_error_string(a.get()) ? archive_error_string(a.get()) : "short read");
    total += contents.size();
    files[name] = std::move(contents);
  }
  if (r != ARCHIVE_EOF)
    return MakeError("archive '{}' is not a readable tar file: {}", path.string(),
                     archive_error_string(a.get()) ? archive_error_string(a.get()) : "corrupt");
  return files;
}

}  // namespace kiln
