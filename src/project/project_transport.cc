// ProjectTransport: rpc::Transport calls mapped onto Project API transport calls.
#include "project/project_transport.h"

#include <algorithm>
#include <cstring>

namespace kiln {

Status ProjectTransport::Write(std::span<const uint8_t> data) {
  if (data.empty()) return Status::Ok();
  return client_.WriteTransport(std::string(reinterpret_cast<const char*>(data.data()), data.size()));
}

Expected<size_t> ProjectTransport::Read(std::span<uint8_t> buffer, rpc::Clock::time_point deadline) {
  if (buffer.empty()) return size_t{0};
  // A deadline already past still asks once (timeout 0): bytes that have
  // arrived are returned rather than reported as a timeout.
  const auto left = std::max(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - rpc::Clock::now()),
                             std::chrono::milliseconds(0));
  KILN_ASSIGN_OR_RETURN(TransportRead read, client_.ReadTransport(buffer.size(), left));
  if (read.data.empty() && read.eof)
    return MakeError("the device of template '{}' closed the link (its output ended)", client_.template_info().name);
  std::memcpy(buffer.data(), read.data.data(), read.data.size());
  return read.data.size();
}

}  // namespace kiln
