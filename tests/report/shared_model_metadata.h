// The metadata.json Kiln writes for a shared model: what the report and
// plan renderers are tested on.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "driver/compile.h"
#include "test_support.h"

namespace kiln::test {

/// The metadata of ../shared/models/tflite/<model> compiled with the
/// default options; null, with a test failure, when it does not compile.
inline nlohmann::json SharedModelMetadata(const std::string& model) {
  auto library = CompileModelFile(SharedDir() / "models" / "tflite" / model / "model.tflite", CodegenOptions{});
  EXPECT_TRUE(library.ok()) << library.message();
  return library.ok() ? library->metadata : nlohmann::json();
}

}  // namespace kiln::test
