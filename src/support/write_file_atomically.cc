#include "support/write_file_atomically.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>

namespace kiln {

Status WriteFileAtomically(const std::filesystem::path& path, std::string_view contents) {
  std::filesystem::path partial = path;
  partial += ".partial";
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    if (!out) return MakeError("cannot write '{}': {}", path.string(), std::strerror(errno));
    out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
    out.flush();
    if (!out) {
      const std::string reason = std::strerror(errno);
      out.close();
      std::error_code ignored;
      std::filesystem::remove(partial, ignored);
      return MakeError("cannot write '{}': {}", path.string(), reason);
    }
  }
  std::error_code ec;
  std::filesystem::rename(partial, path, ec);
  if (ec) {
    std::error_code ignored;
    std::filesystem::remove(partial, ignored);
    return MakeError("cannot write '{}': {}", path.string(), ec.message());
  }
  return Status::Ok();
}

}  // namespace kiln
