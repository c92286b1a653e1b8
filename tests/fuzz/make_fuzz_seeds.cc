// Writes the fuzz targets' seed corpora into DIR/<target>/: small valid
// inputs from which the fuzzer mutates (scripts/fuzz.sh). They are made
// here, from Kiln's own test model builder and protocol encoders, rather
// than kept as binary files: int8 and float TFLite models that reach the
// portable and DSP schedules, MLF archives compiled from them (only
// metadata.json and the generated C, which is what the reader looks at),
// a device that answers a whole session correctly, and a Project API
// server's correct replies.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "codegen/graph_blob.h"
#include "driver/compile.h"
#include "fake_graph_firmware.h"
#include "frontend/tflite/tflite_importer.h"
#include "mlf/tar_archive.h"
#include "rpc/frame.h"
#include "rpc/protocol.h"
#include "support/npy.h"
#include "seed_models.h"
#include "shape_arithmetic_model.h"
#include "control_flow_models.h"
#include "recurrent_models.h"
#include "lstm_models.h"
#include "tflite_model_builder.h"
#include "tune/tuning_records.h"
#include "tune/tuning_task.h"
#include "target/targets.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;
using test::TfliteModelBuilder;
namespace fb = tflite_fb;
constexpr auto F32 = fb::TensorType::FLOAT32;
using fuzz::Int8Chain;
using fuzz::Union;

void Write(const fs::path& path, const std::string& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string AsString(const std::vector<uint8_t>& bytes) { return {bytes.begin(), bytes.end()}; }

// float: FULLY_CONNECTED with RELU, then LOGISTIC.
std::vector<uint8_t> FloatChain() {
  TfliteModelBuilder b;
  const int in = b.AddTensor("x", F32, {1, 4});
  const int w = b.AddConstant<float>("w", F32, {2, 4}, {1, -1, 0.5f, 2, 0, 1, 1, -2});
  const int bias = b.AddConstant<float>("b", F32, {2}, {0.1f, -0.1f});
  const int h = b.AddTensor("h", F32, {1, 2});
  fb::FullyConnectedOptionsT o;
  o.fused_activation_function = fb::ActivationFunctionType::RELU;
  b.AddOperator(9, {in, w, bias}, {h}, Union(o));
  const int y = b.AddTensor("y", F32, {1, 2});
  b.AddOperator(14, {h}, {y});
  b.SetIo({in}, {y});
  return b.Finish();
}

// The archive with only what ReadArchive looks at: metadata.json and the
// generated C (the runtime sources would be most of the bytes).
std::string SmallArchive(const std::vector<uint8_t>& model, const std::string& target, bool capture = false) {
  auto graph = tflite::ImportTflite(model);
  if (!graph.ok()) throw std::runtime_error(graph.message());
  CodegenOptions options;
  options.target = target;
  options.capture_tensors = capture;
  auto library = CompileGraph(*graph, options, "seed.tflite");
  if (!library.ok()) throw std::runtime_error(library.message());
  FileMap files;
  for (const auto& [path, contents] : library->files)
    if (path == "metadata.json" || path.starts_with("codegen/")) files[path] = contents;
  return TarArchiveBytes(files).value();
}

// One record of fuzz_device_client's script: a response body, framed by
// the harness and stamped with the expected sequence number and session.
std::string Reply(rpc::MsgType type, const std::vector<uint8_t>& payload) {
  std::string r;
  r += static_cast<char>(2);  // a body to frame and stamp
  std::vector<uint8_t> body = {static_cast<uint8_t>(static_cast<uint8_t>(type) | rpc::kResponseBit), 0, 0, 0, 0, 0};
  body.insert(body.end(), payload.begin(), payload.end());
  r += static_cast<char>(body.size());
  r.append(body.begin(), body.end());
  return r;
}

void Le(std::vector<uint8_t>& out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

void Name(std::vector<uint8_t>& out, const std::string& name) {
  out.push_back(static_cast<uint8_t>(name.size()));
  out.insert(out.end(), name.begin(), name.end());
}

// The replies to one window of a capture: CAPTURE, RESET, RUN, then
// CAPTURE_READ of the stream's size and of the window's bytes.
std::string CaptureWindow(const std::vector<uint8_t>& run, const std::vector<uint8_t>& bytes) {
  using rpc::MsgType;
  std::vector<uint8_t> capacity, size;
  Le(capacity, 4, 4);
  Le(size, 8, 4);
  std::vector<uint8_t> data = size;
  data.insert(data.end(), bytes.begin(), bytes.end());
  return Reply(MsgType::kCapture, capacity) + Reply(MsgType::kReset, {}) + Reply(MsgType::kRun, run) +
         Reply(MsgType::kCaptureRead, size) + Reply(MsgType::kCaptureRead, data);
}

// A device with one int8 input and output of 4 bytes and 2 operators
// answering INFO, TENSOR_INFO x2, SET_INPUT, RUN, GET_OUTPUT, TIME,
// PROFILE, STACK and RESET, then an 8-byte tensor stream captured through
// a 4-byte buffer (two windows).
std::string DeviceSession() {
  using rpc::MsgType;
  std::vector<uint8_t> info;
  Le(info, rpc::kProtocolVersion, 2);
  Le(info, 64, 2);  // max payload
  Le(info, 1, 1), Le(info, 1, 1);
  Le(info, 4096, 4), Le(info, 0, 4);
  Le(info, 2, 2);  // operators
  Le(info, 1, 4);  // instructions per tick
  Le(info, 1, 1);  // profile available
  Name(info, "seed"), Name(info, "default"), Name(info, "instructions");
  auto tensor = [](const std::string& name) {
    std::vector<uint8_t> t = {1 /* DType::kInt8 */, 2};
    Le(t, 4, 4), Le(t, 1, 4), Le(t, 4, 4);
    Name(t, name);
    return t;
  };
  std::vector<uint8_t> run(4, 0), time(4, 0), profile, stack;
  Le(run, 1234, 8);
  Le(time, 3, 4), Le(time, 3702, 8);
  Le(profile, 2, 2), Le(profile, 0, 2), Le(profile, 2, 1), Le(profile, 600, 8), Le(profile, 634, 8);
  Le(stack, 312, 4), Le(stack, 4096, 4);
  return Reply(MsgType::kInfo, info) + Reply(MsgType::kTensorInfo, tensor("in")) +
         Reply(MsgType::kTensorInfo, tensor("out")) + Reply(MsgType::kSetInput, {}) + Reply(MsgType::kRun, run) +
         Reply(MsgType::kGetOutput, {1, 2, 3, 4}) + Reply(MsgType::kTime, time) + Reply(MsgType::kProfile, profile) +
         Reply(MsgType::kStack, stack) + Reply(MsgType::kReset, {}) + CaptureWindow(run, {1, 2, 3, 4}) +
         CaptureWindow(run, {5, 6, 7, 8});
}

// A blob for the graph fuzzer's firmware (fake_graph_firmware.h): each of
// its calls once, with values of every kind, a reset and some data.
std::string FakeFirmwareBlob() {
  using fuzz::kFakeCalls;
  GraphBlobContents c;
  c.pool_sizes = {256, 4096};
  c.input_bytes = {fuzz::kFakeInputBytes};
  c.output_bytes = {fuzz::kFakeOutputBytes};
  c.data["weights"] = {1, 2, 3, 4, 5, 6, 7, 8};
  c.ops.push_back({kFakeCalls[0].hash,
                   {{kGraphInt, 0, -3, ""}, {kGraphInt, 0, 7, ""}, {kGraphF32, 0, 0x3f800000, ""},
                    {kGraphF64, 0, 0x3ff0000000000000, ""}, {kGraphData, 0, 0, "weights"}, {kGraphPool, 1, 64, ""}}});
  c.ops.push_back({kFakeCalls[1].hash, {}});
  c.ops.push_back({kFakeCalls[2].hash,
                   {{kGraphInput, 0, 0, ""}, {kGraphOutput, 0, 0, ""}, {kGraphNull, 0, 0, ""}, {kGraphPool, 0, 0, ""}}});
  c.resets.push_back({0, 16, 32, 0x80});
  return WriteGraphBlob(c).value();
}

// A template server's correct replies to the calls of one `kiln micro` session.
std::string ProjectApiSession() {
  return R"({"jsonrpc":"2.0","id":1,"result":{"name":"fuzz","version":"1.0","protocol_version":1,"options":[{"name":"verbose","type":"bool","default":false}]}})"
         "\n"
         R"({"jsonrpc":"2.0","id":2,"result":null})"
         "\n"
         R"({"jsonrpc":"2.0","id":3,"result":{"output":"built"}})"
         "\n"
         R"({"jsonrpc":"2.0","id":4,"error":{"code":-32000,"message":"no board"}})"
         "\n"
         R"({"jsonrpc":"2.0","id":5,"result":{}})"
         "\n"
         R"({"jsonrpc":"2.0","id":6,"result":{"data":"fn4=","eof":false}})"
         "\n"
         R"({"jsonrpc":"2.0","id":7,"result":{}})"
         "\n"
         R"({"jsonrpc":"2.0","id":8,"result":{}})"
         "\n";
}

// The lookup, scan and matrix operators of the later sessions, so that
// their checks and lowerings are fuzzed from a valid start: float32
// L2_POOL_2D, CUMSUM, L2_NORMALIZATION, ZEROS_LIKE, BATCH_MATMUL, GATHER_ND
// and DYNAMIC_UPDATE_SLICE by run-time indices, EMBEDDING_LOOKUP of int8
// rows into float32.
std::vector<uint8_t> LookupAndScanOperators() {
  constexpr auto I8 = fb::TensorType::INT8;
  constexpr auto I32 = fb::TensorType::INT32;
  TfliteModelBuilder b;
  const int x = b.AddTensor("x", F32, {1, 2, 2, 3});
  const int rows = b.AddTensor("rows", I32, {2});
  const int table = b.AddTensor("table", I8, {3, 3}, {0.5f}, {0});
  fb::Pool2DOptionsT pool;
  pool.padding = fb::Padding::SAME;
  pool.stride_w = pool.stride_h = 1;
  pool.filter_width = pool.filter_height = 2;
  const int pooled = b.AddTensor("pooled", F32, {1, 2, 2, 3});
  b.AddOperator(12, {x}, {pooled}, Union(pool));
  const int axis = b.AddConstant<int32_t>("axis", I32, {}, {-1});
  const int sums = b.AddTensor("sums", F32, {1, 2, 2, 3});
  b.AddOperator(128, {pooled, axis}, {sums}, Union(fb::CumsumOptionsT{}));
  const int unit = b.AddTensor("unit", F32, {1, 2, 2, 3});
  b.AddOperator(11, {sums}, {unit});
  const int flat_shape = b.AddConstant<int32_t>("flat_shape", I32, {2}, {4, 3});
  const int flat = b.AddTensor("flat", F32, {4, 3});
  b.AddOperator(22, {unit, flat_shape}, {flat});
  const int looked = b.AddTensor("looked", F32, {2, 3});
  b.AddOperator(7, {rows, table}, {looked});
  const int product = b.AddTensor("product", F32, {4, 2});
  fb::BatchMatMulOptionsT mm;
  mm.adj_y = true;
  b.AddOperator(126, {flat, looked}, {product}, Union(mm));
  const int where = b.AddConstant<int32_t>("where", I32, {2, 1}, {1, 3});
  const int picked = b.AddTensor("picked", F32, {2, 2});
  b.AddOperator(107, {product, where}, {picked});
  const int zeros = b.AddTensor("zeros", F32, {4, 2});
  b.AddOperator(93, {product}, {zeros});
  const int updated = b.AddTensor("updated", F32, {4, 2});
  b.AddOperator(151, {zeros, product, rows}, {updated});
  b.SetIo({x, rows, table}, {picked, updated});
  return b.Finish();
}

/// int8 pooling and ADD_N, whose pool_dsp and add_n_s8 lowerings the
/// pipeline fuzzer reaches from here (pool_dsp when it compiles for the
/// Cortex-M4): MAX_POOL_2D 2x2 stride 2, AVERAGE_POOL_2D 2x2 SAME, then
/// ADD_N of the two.
std::vector<uint8_t> Int8PoolsAndAddN() {
  constexpr auto I8 = fb::TensorType::INT8;
  TfliteModelBuilder b;
  const int x = b.AddTensor("x", I8, {1, 4, 4, 5}, {0.05f}, {-3});
  fb::Pool2DOptionsT pool;
  pool.padding = fb::Padding::VALID;
  pool.stride_w = pool.stride_h = 2;
  pool.filter_width = pool.filter_height = 2;
  const int maxed = b.AddTensor("maxed", I8, {1, 2, 2, 5}, {0.05f}, {-3});
  b.AddOperator(17, {x}, {maxed}, Union(pool));
  pool.padding = fb::Padding::SAME;
  pool.stride_w = pool.stride_h = 1;
  const int averaged = b.AddTensor("averaged", I8, {1, 2, 2, 5}, {0.05f}, {-3});
  b.AddOperator(1, {maxed}, {averaged}, Union(pool));
  const int sum = b.AddTensor("sum", I8, {1, 2, 2, 5}, {0.1f}, {0});
  b.AddOperator(106, {maxed, averaged}, {sum});
  b.SetIo({x}, {sum});
  return b.Finish();
}

/// A running sum in a resource variable that CALL_ONCE's init subgraph
/// initialises, so that the pipeline fuzzer starts inside the importer's
/// variable resolution (resource_variables.cc) and the variables' reset.
std::vector<uint8_t> ResourceVariables() {
  constexpr auto I8 = fb::TensorType::INT8;
  TfliteModelBuilder b;
  fb::VarHandleOptionsT handle;
  handle.shared_name = "acc";
  fb::CallOnceOptionsT call_once;
  call_once.init_subgraph_index = 1;
  const int x = b.AddTensor("x", I8, {1, 3}, {0.1f}, {2});
  const int h = b.AddTensor("h", fb::TensorType::RESOURCE, {});
  const int previous = b.AddTensor("previous", I8, {1, 3}, {0.1f}, {2});
  const int sum = b.AddTensor("sum", I8, {1, 3}, {0.1f}, {2});
  b.AddOperator(129, {}, {}, Union(call_once));
  b.AddOperator(142, {}, {h}, Union(handle));
  b.AddOperator(143, {h}, {previous});
  b.AddOperator(0, {previous, x}, {sum});
  b.AddOperator(144, {h, sum}, {});
  b.SetIo({x}, {sum});
  b.AddSubgraph();
  const int init_h = b.AddTensor("h", fb::TensorType::RESOURCE, {});
  const int initial = b.AddConstant<int8_t>("initial", I8, {1, 3}, {5, -7, 2}, {0.1f}, {2});
  b.AddOperator(142, {}, {init_h}, Union(handle));
  b.AddOperator(144, {init_h, initial}, {});
  return b.Finish();
}

/// FULLY_CONNECTED with INT4 weights (packed two a byte, an odd count),
/// int64 comparisons and REDUCE_ALL / REDUCE_ANY of their bools, and an
/// int64 CONCATENATION: the importer's unpacking and the wide and bool
/// paths under the fuzzer.
std::vector<uint8_t> Int4WeightsAndWideTypes() {
  constexpr auto I8 = fb::TensorType::INT8, I64 = fb::TensorType::INT64, BOOL = fb::TensorType::BOOL;
  TfliteModelBuilder b;
  const int x = b.AddTensor("x", I8, {1, 5}, {0.25f}, {-3});
  const int w = b.AddConstant<uint8_t>("w", fb::TensorType::INT4, {3, 5}, {0x78, 0x10, 0x3F, 0xB5, 0x26, 0x4C, 0x9C, 0x09},
                                       {0.5f}, {0});
  const int fc = b.AddTensor("fc", I8, {1, 3}, {0.5f}, {2});
  b.AddOperator(9, {x, w}, {fc});
  const int a = b.AddTensor("a", I64, {2, 3});
  const int greater = b.AddTensor("greater", BOOL, {2, 3});
  b.AddOperator(61, {a, a}, {greater});
  const int axis = b.AddConstant<int32_t>("axis", fb::TensorType::INT32, {1}, {1});
  fb::ReducerOptionsT keep;
  keep.keep_dims = true;
  const int all = b.AddTensor("all", BOOL, {2, 1});
  b.AddOperator(140, {greater, axis}, {all}, Union(keep));
  const int any = b.AddTensor("any", BOOL, {2, 1});
  b.AddOperator(91, {greater, axis}, {any}, Union(keep));
  fb::ConcatenationOptionsT rows;
  const int wide = b.AddTensor("wide", I64, {4, 3});
  b.AddOperator(2, {a, a}, {wide}, Union(rows));
  b.SetIo({x, a}, {fc, all, any, wide});
  return b.Finish();
}

/// CONV_3D (float32) beside int32 FLOOR_DIV and float64 MAXIMUM and DIV:
/// the pipeline fuzzer starts inside the 3-D window geometry, the integer
/// kernels' divisions and float64.
std::vector<uint8_t> Conv3DAndRawArithmetic() {
  constexpr auto F32 = fb::TensorType::FLOAT32;
  constexpr auto I32 = fb::TensorType::INT32;
  constexpr auto F64 = fb::TensorType::FLOAT64;
  TfliteModelBuilder b;
  const int x = b.AddTensor("x", F32, {1, 3, 3, 3, 2});
  const int w = b.AddConstant<float>("w", F32, {2, 2, 2, 2, 2}, std::vector<float>(32, 0.5f));
  const int y = b.AddTensor("y", F32, {1, 3, 3, 3, 2});
  fb::Conv3DOptionsT conv;
  conv.padding = fb::Padding::SAME;
  conv.stride_d = conv.stride_h = conv.stride_w = 1;
  b.AddOperator(132, {x, w}, {y}, Union(conv));
  const int a = b.AddTensor("a", I32, {4});
  const int d = b.AddConstant<int32_t>("d", I32, {4}, {3, -2, 5, 7});
  const int q = b.AddTensor("q", I32, {4});
  b.AddOperator(90, {a, d}, {q});
  const int f = b.AddTensor("f", F64, {2});
  const int g = b.AddTensor("g", F64, {2});
  const int m = b.AddTensor("m", F64, {2});
  b.AddOperator(55, {f, g}, {m});
  const int r = b.AddTensor("r", F64, {2});
  b.AddOperator(42, {m, g}, {r});
  b.SetIo({x, a, f, g}, {y, q, r});
  return b.Finish();
}

/// A small float LSTM with every optional input (peephole, projection and
/// its bias, layer norm), so that the pipeline fuzzer starts inside each of
/// its presence and shape rules.
std::vector<uint8_t> LstmSequence() {
  test::LstmCase c{1, 2, 3, 2, false, {}, {}, {}};
  const int sizes[] = {6, 6, 6, 6, 6, 6, 6, 6, 3, 3, 3, 3, 3, 3, 3, 6, 2, 3, 3, 3, 3};
  for (int size : sizes) c.weights.emplace_back(static_cast<size_t>(size), 0.25f);
  c.input = {0.5f, -0.5f, 1.0f, 0.0f};
  return test::LstmModel(c).Finish();
}

/// The integer elementwise kernels of TFLite Micro's int16 and int8 paths
/// in one chain per width: MUL, RELU, ABS, PRELU, SQUARED_DIFFERENCE and a
/// SUM and MEAN of the result (int16); DIV, RSQRT, ABS, PRELU and a SUM
/// (int8), so that the pipeline fuzzer starts inside each one's checks.
std::vector<uint8_t> IntegerElementwise() {
  constexpr auto I8 = fb::TensorType::INT8, I16 = fb::TensorType::INT16;
  TfliteModelBuilder b;
  const int x = b.AddTensor("x", I16, {2, 4}, {0.01f}, {0});
  const int alpha8 = b.AddConstant<int8_t>("alpha", I8, {4}, {-3, 5, 8, 1}, {0.1f}, {0});
  auto add = [&](int32_t code, std::vector<int32_t> in, fb::TensorType type, std::vector<int32_t> shape, float scale,
                 int64_t zp, fb::BuiltinOptionsUnion options = {}) {
    const int t = b.AddTensor("t" + std::to_string(b.subgraph().tensors.size()), type, std::move(shape), {scale}, {zp});
    b.AddOperator(code, std::move(in), {t}, std::move(options));
    return t;
  };
  const int mul = add(18, {x, x}, I16, {2, 4}, 0.002f, 0);
  const int relu = add(19, {mul}, I16, {2, 4}, 0.002f, 0);
  const int absolute = add(101, {relu}, I16, {2, 4}, 0.004f, 0);
  const int prelu = add(54, {absolute, alpha8}, I16, {2, 4}, 0.004f, 0);
  const int sqdiff = add(99, {prelu, mul}, I16, {2, 4}, 0.01f, 0);
  const int axes = b.AddConstant<int32_t>("axes", fb::TensorType::INT32, {1}, {1});
  fb::ReducerOptionsT keep;
  keep.keep_dims = true;
  const int sum16 = add(74, {sqdiff, axes}, I16, {2, 1}, 0.05f, 0, Union(keep));
  const int mean16 = add(40, {sqdiff, axes}, I16, {2, 1}, 0.01f, 3, Union(keep));
  const int y = b.AddTensor("y", I8, {2, 4}, {0.05f}, {-2});
  const int div = add(42, {y, y}, I8, {2, 4}, 0.1f, 0);
  const int rsqrt = add(76, {div}, I8, {2, 4}, 0.05f, -128);
  const int abs8 = add(101, {rsqrt}, I8, {2, 4}, 0.05f, -128);
  const int prelu8 = add(54, {abs8, alpha8}, I8, {2, 4}, 0.05f, 0);
  const int sum8 = add(74, {prelu8, axes}, I8, {2, 1}, 0.2f, 1, Union(keep));
  b.SetIo({x, y}, {sum16, mean16, sum8});
  return b.Finish();
}

/// The integer LSTM (TFLite Micro's test case, 16x8 when `int16`), the
/// 16x8 one followed by int16 TANH and LOGISTIC on its output.
std::vector<uint8_t> IntegerLstm(bool int16) {
  test::TfliteModelBuilder b = test::LstmIntModel(test::TfliteMicroLstmCase(int16), 2);
  if (int16) {
    const int y = b.subgraph().outputs[0];
    const int t = b.AddTensor("tanh", fb::TensorType::INT16, {2, 2, 2}, {1.0f / 32768}, {0});
    const int l = b.AddTensor("logistic", fb::TensorType::INT16, {2, 2, 2}, {1.0f / 32768}, {0});
    b.AddOperator(28, {y}, {t});
    b.AddOperator(14, {t}, {l});
    b.SetIo({b.subgraph().inputs[0]}, {l});
  }
  return b.Finish();
}

}  // namespace
}  // namespace kiln

int main(int argc, char** argv) {
  using namespace kiln;
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_fuzz_seeds DIR\n");
    return 2;
  }
  const fs::path dir = argv[1];
  const std::string int8_model = AsString(Int8Chain()), float_model = AsString(FloatChain());
  Write(dir / "tflite_pipeline" / "int8_chain.tflite", int8_model);
  Write(dir / "tflite_pipeline" / "float_chain.tflite", float_model);
  Write(dir / "tflite_pipeline" / "lookup_and_scan.tflite", AsString(LookupAndScanOperators()));
  Write(dir / "tflite_pipeline" / "lstm_sequence.tflite", AsString(LstmSequence()));
  Write(dir / "tflite_pipeline" / "lstm_int8.tflite", AsString(IntegerLstm(false)));
  Write(dir / "tflite_pipeline" / "integer_elementwise.tflite", AsString(IntegerElementwise()));
  Write(dir / "tflite_pipeline" / "lstm_16x8_tanh_logistic.tflite", AsString(IntegerLstm(true)));
  Write(dir / "tflite_pipeline" / "int8_pools_and_add_n.tflite", AsString(Int8PoolsAndAddN()));
  Write(dir / "tflite_pipeline" / "resource_variables.tflite", AsString(ResourceVariables()));
  Write(dir / "tflite_pipeline" / "conv3d_and_raw_arithmetic.tflite", AsString(Conv3DAndRawArithmetic()));
  Write(dir / "tflite_pipeline" / "shape_arithmetic.tflite", AsString(test::ShapeArithmeticModel()));
  Write(dir / "tflite_pipeline" / "if.tflite", AsString(test::IfAddElseMulModel()));
  Write(dir / "tflite_pipeline" / "while.tflite", AsString(test::WhileSwapAndDoubleModel()));
  Write(dir / "tflite_pipeline" / "while_of_if.tflite", AsString(test::WhileOfIfModel()));
  Write(dir / "tflite_pipeline" / "int4_weights_and_wide_types.tflite", AsString(Int4WeightsAndWideTypes()));
  {  // ONNX's node cases (scripts/fuzz.sh) feed the recurrent layers' weights as inputs: each with them constant
    test::RecurrentCase gru;
    gru.direction = "bidirectional";
    gru.linear_before_reset = 1;
    gru.clip = 0.5f;
    gru.initial = true;
    Write(dir / "onnx_pipeline" / "gru_bidirectional.onnx", AsString(test::RecurrentModel(gru)));
    test::RecurrentCase lstm = gru;
    lstm.lstm = lstm.peephole = true;
    lstm.clip = 0.0f;
    lstm.layout = 1;
    Write(dir / "onnx_pipeline" / "lstm_bidirectional.onnx", AsString(test::RecurrentModel(lstm)));
    test::RecurrentCase rnn = gru;
    rnn.rnn_activation = "Relu";
    rnn.direction = "reverse";
    Write(dir / "onnx_pipeline" / "rnn_reverse.onnx", AsString(test::RecurrentModel(rnn)));
  }
  Write(dir / "mlf_reader" / "int8_portable.tar", SmallArchive(Int8Chain(), ""));
  Write(dir / "mlf_reader" / "int8_cortex_m4.tar", SmallArchive(Int8Chain(), "cortex-m4"));
  Write(dir / "mlf_reader" / "float.tar", SmallArchive(FloatChain(), ""));
  Write(dir / "mlf_reader" / "int8_capture.tar", SmallArchive(Int8Chain(), "", /*capture=*/true));
  Write(dir / "graph_blob" / "fake_firmware.graph", FakeFirmwareBlob());
  {
    CodegenOptions graph;
    graph.executor = "graph";
    auto library = CompileGraph(tflite::ImportTflite(Int8Chain()).value(), graph, "seed.tflite");
    if (!library.ok()) throw std::runtime_error(library.message());
    Write(dir / "graph_blob" / "int8_chain.graph", library->files.at("graph/kiln_default.graph"));
  }
  {
    const std::vector<uint8_t> data = {1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0};
    Write(dir / "npy_reader" / "int16.npy", EncodeNpy(DType::kInt16, std::vector<int32_t>{2, 3}, data));
  }
  {
    // A records file with every candidate of every layer of the int8
    // model on cortex-m4, each valid, at costs that put a non-default one first.
    const Graph graph = tflite::ImportTflite(Int8Chain()).value();
    auto tasks = ModelTasks(graph, FindTarget("cortex-m4").value(), 0);
    if (!tasks.ok()) throw std::runtime_error(tasks.message());
    // Candidate c of `task`, valid, at `instructions`: one line of a records file.
    auto record_line = [](const TuningTask& task, size_t c, uint64_t instructions) {
      TuningRecord r;
      r.kiln_version = KILN_VERSION;
      r.target = "cortex-m4";
      r.board = "qemu-cortex-m4";
      r.compiler = "arm-none-eabi-gcc 12.2.1";
      r.task = task.key;
      r.layer = task.layer;
      r.schedule = task.space[c].name;
      r.knobs = task.space[c].knobs;
      r.valid = true;
      r.instructions = instructions;
      r.cycles = r.instructions * 3 / 2;
      r.output_digest = "00000000000000ff";
      return RecordJson(r).dump() + "\n";
    };
    std::string lines;
    for (const TuningTask& task : *tasks)
      for (size_t c = 0; c < task.space.size(); ++c)
        lines += record_line(task, c, 1000 + 7 * ((c * 5) % task.space.size()));
    Write(dir / "tuning_records" / "int8_chain.jsonl", lines);
    // And a few points of the spaces generated from the loop nest
    // (--auto-schedule: the fully connected layer's), one of them the cheapest.
    auto generated = ModelTasks(graph, FindTarget("cortex-m4").value(), 0, /*loop_nest_space=*/true);
    if (!generated.ok()) throw std::runtime_error(generated.message());
    std::string auto_lines;
    for (const TuningTask& task : *generated) {
      int taken = 0;
      for (size_t c = 0; c < task.space.size() && taken < 4; ++c) {
        if (c != 0 && !task.space[c].generated) continue;
        auto_lines += record_line(task, c, task.space[c].generated ? 900 + 13 * static_cast<uint64_t>(taken) : 1000);
        taken += task.space[c].generated ? 1 : 0;
      }
    }
    Write(dir / "tuning_records" / "int8_chain_auto_schedule.jsonl", auto_lines);
  }
  Write(dir / "device_client" / "session.bin", DeviceSession());
  Write(dir / "project_api_client" / "session.jsonl", ProjectApiSession());
  return 0;
}
