// The .npy reader and writer against NumPy's own (python3-numpy): files
// Kiln writes load in NumPy with their dtype, shape and values, and files
// NumPy writes read back in Kiln; malformed files are refused by name.
#include <gtest/gtest.h>
#include <gmock/gmock.h>

#include <cstring>
#include <fstream>
#include <sstream>

#include "support/npy.h"
#include "test_support.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;
using testing::HasSubstr;

constexpr const char* kPython = "/usr/bin/python3";  // Debian's, where python3-numpy installs

testing::AssertionResult NumpyInstalled() {
  return test::InstalledData("/usr/lib/python3/dist-packages/numpy", "python3-numpy");
}

std::string ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(Npy, RoundTripsEveryDtypeAndRank) {
  const std::vector<uint8_t> data = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24};
  for (DType dtype : {DType::kFloat32, DType::kInt8, DType::kUInt8, DType::kInt16, DType::kInt32, DType::kInt64,
                      DType::kBool}) {
    const int32_t elements = static_cast<int32_t>(24 / DTypeSize(dtype));
    for (std::vector<int32_t> shape : {std::vector<int32_t>{elements}, std::vector<int32_t>{1, elements},
                                       std::vector<int32_t>{elements, 1, 1}}) {
      std::vector<uint8_t> bytes = data;
      if (dtype == DType::kBool)
        for (uint8_t& b : bytes) b &= 1;
      const std::string file = EncodeNpy(dtype, shape, bytes);
      EXPECT_EQ(file.size() % 64, 24u % 64) << "header padded to 64 bytes";
      auto back = DecodeNpy(file);
      ASSERT_TRUE(back.ok()) << back.message();
      EXPECT_EQ(back->dtype, dtype);
      EXPECT_EQ(back->shape, std::vector<int64_t>(shape.begin(), shape.end()));
      EXPECT_EQ(back->data, bytes);
    }
  }
  auto scalar = DecodeNpy(EncodeNpy(DType::kInt32, {}, std::vector<uint8_t>{7, 0, 0, 0}));
  ASSERT_TRUE(scalar.ok()) << scalar.message();
  EXPECT_TRUE(scalar->shape.empty());
}

TEST(Npy, NumpyLoadsWhatKilnWrites) {
  ASSERT_TRUE(NumpyInstalled());
  const fs::path dir = test::TempDir("npy_numpy_loads");
  const int16_t values[6] = {-32768, -1, 0, 1, 2, 32767};
  std::vector<uint8_t> bytes(sizeof(values));
  std::memcpy(bytes.data(), values, sizeof(values));
  const std::string file = EncodeNpy(DType::kInt16, std::vector<int32_t>{2, 3}, bytes);
  std::ofstream(dir / "a.npy", std::ios::binary).write(file.data(), static_cast<std::streamsize>(file.size()));
  const float f[3] = {1.5f, -0.25f, 1024.0f};
  std::vector<uint8_t> fbytes(sizeof(f));
  std::memcpy(fbytes.data(), f, sizeof(f));
  const std::string ffile = EncodeNpy(DType::kFloat32, std::vector<int32_t>{3}, fbytes);
  std::ofstream(dir / "f.npy", std::ios::binary).write(ffile.data(), static_cast<std::streamsize>(ffile.size()));
  std::string out;
  ASSERT_EQ(test::RunCommand(std::string(kPython) + " -c \"import numpy as np; a = np.load('" + (dir / "a.npy").string() +
                                 "'); f = np.load('" + (dir / "f.npy").string() +
                                 "'); print(a.dtype, a.shape, a.tolist(), f.dtype, f.shape, f.tolist())\"",
                             &out),
            0)
      << out;
  EXPECT_EQ(out, "int16 (2, 3) [[-32768, -1, 0], [1, 2, 32767]] float32 (3,) [1.5, -0.25, 1024.0]\n");
}

TEST(Npy, KilnReadsWhatNumpyWrites) {
  ASSERT_TRUE(NumpyInstalled());
  const fs::path dir = test::TempDir("npy_kiln_reads");
  std::string out;
  ASSERT_EQ(test::RunCommand(std::string(kPython) + " -c \"import numpy as np; "
                                 "np.save('" + (dir / "a.npy").string() + "', np.arange(-3, 9, dtype=np.int8).reshape(3, 4)); "
                                 "np.save('" + (dir / "b.npy").string() + "', np.array([True, False])); "
                                 "np.save('" + (dir / "c.npy").string() + "', np.arange(6, dtype='>f4')); "
                                 "np.save('" + (dir / "d.npy").string() + "', np.asfortranarray(np.ones((2, 3), np.int32)))\"",
                             &out),
            0)
      << out;
  auto a = DecodeNpy(ReadText(dir / "a.npy"));
  ASSERT_TRUE(a.ok()) << a.message();
  EXPECT_EQ(a->dtype, DType::kInt8);
  EXPECT_EQ(a->shape, (std::vector<int64_t>{3, 4}));
  ASSERT_EQ(a->data.size(), 12u);
  EXPECT_EQ(static_cast<int8_t>(a->data[0]), -3);
  EXPECT_EQ(static_cast<int8_t>(a->data[11]), 8);
  auto b = DecodeNpy(ReadText(dir / "b.npy"));
  ASSERT_TRUE(b.ok()) << b.message();
  EXPECT_EQ(b->dtype, DType::kBool);
  EXPECT_EQ(b->data, (std::vector<uint8_t>{1, 0}));
  auto c = DecodeNpy(ReadText(dir / "c.npy"));
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.message(), HasSubstr(">f4"));
  auto d = DecodeNpy(ReadText(dir / "d.npy"));
  ASSERT_FALSE(d.ok());
  EXPECT_THAT(d.message(), HasSubstr("Fortran order"));
}

TEST(Npy, RefusesMalformedFiles) {
  const std::string good = EncodeNpy(DType::kInt8, std::vector<int32_t>{4}, std::vector<uint8_t>{1, 2, 3, 4});
  EXPECT_THAT(DecodeNpy("PK\x03\x04").message(), HasSubstr("not a .npy file"));
  EXPECT_THAT(DecodeNpy(good.substr(0, 20)).message(), HasSubstr("cut short"));
  EXPECT_THAT(DecodeNpy(good.substr(0, good.size() - 1)).message(), HasSubstr("needs 4"));
  EXPECT_THAT(DecodeNpy(good + "x").message(), HasSubstr("needs 4"));
  std::string version = good;
  version[6] = 9;
  EXPECT_THAT(DecodeNpy(version).message(), HasSubstr("version 9"));
  std::string shape = good;
  shape.replace(shape.find("(4,)"), 4, "(a,)");
  EXPECT_THAT(DecodeNpy(shape).message(), HasSubstr("malformed"));
  std::string huge = good;
  huge.replace(huge.find("(4,)"), 4, "(999999999999,999999999999)");
  EXPECT_FALSE(DecodeNpy(huge).ok());
}

}  // namespace
}  // namespace kiln
