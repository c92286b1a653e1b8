// JSON that comes from outside Kiln (an archive's metadata.json, a project
// record, a server's reply) may have any shape. Code that reads it is
// written against the shape Kiln documents and reads it through
// nlohmann-json, which throws on a field of the wrong type; this is the
// boundary where such an exception becomes Kiln's error, naming the
// document and the field (nlohmann's JSON_DIAGNOSTICS, set for the whole
// build, puts the field's JSON pointer in the message).
#pragma once

#include <string_view>
#include <type_traits>
#include <utility>

#include <nlohmann/json.hpp>

#include "support/status.h"

namespace kiln {

template <typename T>
struct AsExpected {
  using type = Expected<T>;
};
template <typename T>
struct AsExpected<Expected<T>> {
  using type = Expected<T>;
};
template <>
struct AsExpected<Status> {
  using type = Status;
};

/// nlohmann converts a float to an integer with a plain cast, which is
/// undefined behaviour, not an exception, when the float is out of range.
/// JSON from outside is checked with this before it is read: the error
/// names the first float that is not finite or not within +-2^31. Numbers
/// under members named "scale" need only be finite: they are quantization
/// scales, any finite float32 a model gives (3.4e37 is one), and every
/// reader takes them as floating point (kFloatMember).
Status CheckFloatsInRange(const nlohmann::json& j, std::string_view document);
inline constexpr std::string_view kFloatMember = "scale";

/// Runs `read` and returns what it returns, as an Expected (or a Status);
/// a nlohmann-json exception it throws becomes an Error about `document`.
template <typename Read>
typename AsExpected<std::invoke_result_t<Read>>::type ReadingJson(std::string_view document, Read&& read) {
  try {
    return std::forward<Read>(read)();
  } catch (const nlohmann::json::exception& e) {
    return MakeError("{} does not have the expected shape: {}", document, e.what());
  }
}

}  // namespace kiln
