// The device protocol's byte link (rpc::Transport) carried by a Project API
// server's read_transport/write_transport calls: how Kiln talks to the
// firmware of a project a template generated, built and opened (QEMU's
// UART, a serial port, ...) without knowing how the template reaches it.
#pragma once

#include "project/project_api.h"
#include "rpc/transport.h"

namespace kiln {

/// An rpc::Transport over a ProjectApiClient whose transport is open
/// (OpenTransport called). Does not own the client, which must outlive it;
/// opening and closing the transport stay the caller's job.
class ProjectTransport : public rpc::Transport {
 public:
  explicit ProjectTransport(ProjectApiClient& client) : client_(client) {}

  /// One write_transport call with all of `data`.
  Status Write(std::span<const uint8_t> data) override;
  /// One read_transport call, waiting until `deadline`. The end of the
  /// device's output (eof) is an error: the link is gone.
  Expected<size_t> Read(std::span<uint8_t> buffer, rpc::Clock::time_point deadline) override;

 private:
  ProjectApiClient& client_;
};

}  // namespace kiln
