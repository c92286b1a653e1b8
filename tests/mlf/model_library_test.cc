// The Model Library Format archive: layout, metadata, determinism, and
// the reader's version check.
#include <gtest/gtest.h>
#include <gmock/gmock.h>

#include "driver/compile.h"
#include "driver/host_runner.h"
#include "mlf/model_library.h"
#include "test_support.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;
using testing::Contains;

fs::path HelloInt8() { return test::SharedDir() / "models" / "tflite" / "hello_world_int8"; }

TEST(ModelLibrary, HasTheDocumentedLayout) {
  auto lib = CompileModelFile(HelloInt8() / "model.tflite", CodegenOptions{"hello", "greedy_by_size"});
  ASSERT_TRUE(lib.ok()) << lib.message();
  std::vector<std::string> paths;
  for (const auto& [path, _] : lib->files) paths.push_back(path);
  EXPECT_THAT(paths, Contains("metadata.json"));
  EXPECT_THAT(paths, Contains("Makefile"));
  EXPECT_THAT(paths, Contains("CMakeLists.txt"));
  EXPECT_THAT(paths, Contains("codegen/host/include/kiln_hello.h"));
  EXPECT_THAT(paths, Contains("codegen/host/src/kiln_hello.c"));
  EXPECT_THAT(paths, Contains("codegen/host/src/kiln_hello_constants.c"));
  EXPECT_THAT(paths, Contains("runtime/include/kiln/runtime.h"));
  EXPECT_THAT(paths, Contains("runtime/src/kernels/gemm_s8.c"));  // the FC schedule
  EXPECT_THAT(paths, Contains("src/hello.kir"));

  const auto& m = lib->metadata;
  EXPECT_EQ(m["format"], "kiln-mlf");
  EXPECT_EQ(m["format_version"], kMlfFormatVersion);
  EXPECT_EQ(m["module_name"], "hello");
  EXPECT_EQ(m["executor"], "aot");
  EXPECT_EQ(m["inputs"][0]["dtype"], "int8");
  EXPECT_EQ(m["inputs"][0]["shape"], nlohmann::json::array({1, 1}));
  EXPECT_EQ(m["inputs"][0]["quantization"]["zero_point"][0], -128);
  EXPECT_EQ(m["outputs"][0]["size_bytes"], 1);
  EXPECT_EQ(m["operators"].size(), 3u);
  EXPECT_EQ(m["operators"][0]["op"], "FULLY_CONNECTED");
  EXPECT_EQ(m["operators"][0]["kernel"], "fully_connected_s8");
  // Two 16-byte activations, live one after the other, overlap in time at
  // the middle node: 32 bytes.
  EXPECT_EQ(m["memory"]["pools"][1]["name"], "workspace");
  EXPECT_EQ(m["memory"]["pools"][1]["size_bytes"], 32);
}

TEST(ModelLibrary, SameModelGivesByteIdenticalArchives) {
  const fs::path dir = test::TempDir("mlf");
  for (const char* name : {"a.tar", "b.tar"}) {
    auto lib = CompileModelFile(test::SharedDir() / "models" / "tflite" / "micro_speech_quantized" / "model.tflite",
                                CodegenOptions{});
    ASSERT_TRUE(lib.ok()) << lib.message();
    ASSERT_TRUE(WriteTarArchive(dir / name, lib->files).ok());
  }
  EXPECT_EQ(test::ReadBytes(dir / "a.tar"), test::ReadBytes(dir / "b.tar"));
  fs::remove_all(dir);
}

TEST(ModelLibrary, ReaderRoundTripsAndTheArchiveRuns) {
  const fs::path dir = test::TempDir("mlf");
  auto lib = CompileModelFile(HelloInt8() / "model.tflite", CodegenOptions{});
  ASSERT_TRUE(lib.ok());
  ASSERT_TRUE(WriteTarArchive(dir / "m.tar", lib->files).ok());
  auto read = ReadModelLibrary(dir / "m.tar");
  ASSERT_TRUE(read.ok()) << read.message();
  EXPECT_EQ(read->files, lib->files);
  auto exe = HostExecutable::Build(*read);
  ASSERT_TRUE(exe.ok()) << exe.message();
  const fs::path c = HelloInt8() / "cases" / "seed_0x00c0ffee";
  ASSERT_TRUE(exe->Run({c / "input_0.bin"}, dir / "out").ok());
  EXPECT_EQ(test::ReadBytes(dir / "out" / "output_0.bin"), test::ReadBytes(c / "output_0.bin"));
  fs::remove_all(dir);
}

// A model's quantization scales are any finite float32: an input scale of
// 3.46e37 (found by fuzz_tflite_pipeline after 121,371 executions) is
// written to metadata.json and read back, where the reader's guard against
// floats cast to integers had refused it.
TEST(ModelLibrary, AnyFiniteScaleRoundTrips) {
  auto lib = CompileModelFile(HelloInt8() / "model.tflite", CodegenOptions{});
  ASSERT_TRUE(lib.ok()) << lib.message();
  nlohmann::json metadata = nlohmann::json::parse(lib->files.at("metadata.json"));
  ASSERT_TRUE(metadata["inputs"][0].contains("quantization"));
  metadata["inputs"][0]["quantization"]["scale"] = {static_cast<double>(3.4612054e37f)};
  lib->files["metadata.json"] = metadata.dump(2);
  auto read = ParseModelLibrary(lib->files, "m.tar");
  ASSERT_TRUE(read.ok()) << read.message();
  EXPECT_TRUE(ReadInterface(read->metadata).ok());
  EXPECT_EQ(read->metadata["inputs"][0]["quantization"]["scale"][0].get<double>(), static_cast<double>(3.4612054e37f));
  // Beyond any double: still refused.
  std::string text = lib->files.at("metadata.json");
  const size_t at = text.find("3.46");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, text.find_first_of(",]", at) - at, "1e400");
  lib->files["metadata.json"] = text;
  EXPECT_FALSE(ParseModelLibrary(lib->files, "m.tar").ok());
}

TEST(ModelLibrary, ReaderChecksTheVersion) {
  const fs::path dir = test::TempDir("mlf");
  FileMap files = {{"metadata.json", R"({"format": "kiln-mlf", "format_version": 99})"}};
  ASSERT_TRUE(WriteTarArchive(dir / "future.tar", files).ok());
  EXPECT_EQ(ReadModelLibrary(dir / "future.tar").message(),
            "'" + (dir / "future.tar").string() +
                "': MLF format_version 99 is not supported (this Kiln reads version 1)");
  files = {{"other.txt", "x"}};
  ASSERT_TRUE(WriteTarArchive(dir / "plain.tar", files).ok());
  EXPECT_EQ(ReadModelLibrary(dir / "plain.tar").message(),
            "'" + (dir / "plain.tar").string() + "' is not a Kiln MLF archive: no metadata.json");
  fs::remove_all(dir);
}

TEST(TarArchive, RefusesUnsafePaths) {
  const fs::path dir = test::TempDir("mlf");
  ASSERT_TRUE(WriteTarArchive(dir / "evil.tar", {{"../escape.txt", "x"}}).ok());
  EXPECT_EQ(ReadTarArchive(dir / "evil.tar").message(),
            "archive '" + (dir / "evil.tar").string() + "': unsafe path '../escape.txt'");
  fs::remove_all(dir);
}

TEST(TarArchive, InMemoryRoundTripAndPathsThatAreNotText) {
  const FileMap files = {{"a.txt", "alpha"}, {"dir/b.bin", std::string("\0\1\2", 3)}};
  auto bytes = TarArchiveBytes(files);
  ASSERT_TRUE(bytes.ok()) << bytes.message();
  auto read = ReadTarBytes(*bytes, "mem.tar");
  ASSERT_TRUE(read.ok()) << read.message();
  EXPECT_EQ(*read, files);
  // A control character or a byte that is not UTF-8 in a path: refused,
  // and the message shows it escaped.
  auto odd = ReadTarBytes(TarArchiveBytes({{"bad\x01name\xff", "x"}}).value(), "odd.tar");
  EXPECT_EQ(odd.message(), "archive 'odd.tar': unsafe path 'bad\\x01name\\xff'");
  EXPECT_FALSE(ReadTarBytes("not a tar archive", "junk.tar").ok());
}

TEST(ModelLibrary, MetadataFieldsOfTheWrongTypeAreErrors) {
  EXPECT_EQ(ParseModelLibrary({{"metadata.json", R"({"format": 1, "format_version": 1})"}}, "m.tar").message(),
            "'m.tar': metadata.json format is not 'kiln-mlf'");
  EXPECT_THAT(ReadInterface(nlohmann::json{{"module_name", 7}}).message(),
              testing::HasSubstr("/module_name"));
  // A float that an integer field would be cast from out of range (undefined
  // behaviour inside nlohmann-json, found by fuzz_mlf_reader): refused on read.
  EXPECT_EQ(ParseModelLibrary({{"metadata.json", R"({"format": "kiln-mlf", "format_version": 1,
                                                      "memory": {"buffers": [{"size_bytes": 1.7e71}]}})"}},
                              "m.tar")
                .message(),
            "'m.tar': metadata.json does not have the expected shape: (/memory/buffers/0/size_bytes) a number out "
            "of range");
}

}  // namespace
}  // namespace kiln
