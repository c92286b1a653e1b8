// Builds small TFLite models in memory (through the flatbuffers object API
// of Kiln's own schema subset), for importer, malformed-input and
// single-operator tests.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "tflite_schema_generated.h"

namespace kiln::test {

namespace fb = kiln::tflite_fb;

class TfliteModelBuilder {
 public:
  TfliteModelBuilder() {
    model.version = 3;
    model.buffers.push_back(std::make_unique<fb::BufferT>());  // buffer 0: no data
    model.subgraphs.push_back(std::make_unique<fb::SubGraphT>());
  }

  /// An activation tensor; scale empty means not quantized.
  int AddTensor(const std::string& name, fb::TensorType type, std::vector<int32_t> shape,
                std::vector<float> scale = {}, std::vector<int64_t> zero_point = {}, int32_t axis = 0) {
    auto t = std::make_unique<fb::TensorT>();
    t->name = name;
    t->type = type;
    t->shape = std::move(shape);
    t->buffer = 0;
    if (!scale.empty()) {
      t->quantization = std::make_unique<fb::QuantizationParametersT>();
      t->quantization->scale = std::move(scale);
      t->quantization->zero_point = std::move(zero_point);
      t->quantization->quantized_dimension = axis;
    }
    subgraph().tensors.push_back(std::move(t));
    return static_cast<int>(subgraph().tensors.size()) - 1;
  }

  /// A constant tensor holding `values` (element type T, little-endian).
  template <typename T>
  int AddConstant(const std::string& name, fb::TensorType type, std::vector<int32_t> shape,
                  const std::vector<T>& values, std::vector<float> scale = {},
                  std::vector<int64_t> zero_point = {}, int32_t axis = 0) {
    const int id = AddTensor(name, type, std::move(shape), std::move(scale), std::move(zero_point), axis);
    auto buffer = std::make_unique<fb::BufferT>();
    buffer->data.resize(values.size() * sizeof(T));
    if (!values.empty()) std::memcpy(buffer->data.data(), values.data(), buffer->data.size());
    model.buffers.push_back(std::move(buffer));
    subgraph().tensors.back()->buffer = static_cast<uint32_t>(model.buffers.size() - 1);
    return id;
  }

  /// Adds an operator with a builtin code and (optional) options.
  void AddOperator(int32_t builtin_code, std::vector<int32_t> inputs, std::vector<int32_t> outputs,
                   fb::BuiltinOptionsUnion options = {}) {
    uint32_t opcode_index = 0;
    for (; opcode_index < model.operator_codes.size(); ++opcode_index) {
      if (model.operator_codes[opcode_index]->builtin_code == builtin_code) break;
    }
    if (opcode_index == model.operator_codes.size()) {
      auto code = std::make_unique<fb::OperatorCodeT>();
      code->builtin_code = builtin_code;
      code->deprecated_builtin_code = static_cast<int8_t>(builtin_code < 127 ? builtin_code : 127);
      model.operator_codes.push_back(std::move(code));
    }
    auto op = std::make_unique<fb::OperatorT>();
    op->opcode_index = opcode_index;
    op->inputs = std::move(inputs);
    op->outputs = std::move(outputs);
    op->builtin_options = std::move(options);
    subgraph().operators.push_back(std::move(op));
  }

  void SetIo(std::vector<int32_t> inputs, std::vector<int32_t> outputs) {
    subgraph().inputs = std::move(inputs);
    subgraph().outputs = std::move(outputs);
  }

  /// Serializes the model, with the 'TFL3' identifier.
  std::vector<uint8_t> Finish() const {
    flatbuffers::FlatBufferBuilder fbb;
    fbb.Finish(fb::Model::Pack(fbb, &model), fb::ModelIdentifier());
    return {fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize()};
  }

  /// Adds an empty subgraph and makes it the one the Add* calls build;
  /// returns its index.
  int AddSubgraph() {
    model.subgraphs.push_back(std::make_unique<fb::SubGraphT>());
    current_ = model.subgraphs.size() - 1;
    return static_cast<int>(current_);
  }
  /// Makes subgraph `index` the one the Add* calls build.
  void UseSubgraph(int index) { current_ = static_cast<size_t>(index); }

  fb::SubGraphT& subgraph() { return *model.subgraphs[current_]; }

  fb::ModelT model;

 private:
  size_t current_ = 0;
};

/// Unpacks a serialized model for mutation (it must verify).
inline fb::ModelT Unpack(const std::vector<uint8_t>& bytes) {
  fb::ModelT out;
  fb::GetModel(bytes.data())->UnPackTo(&out);
  return out;
}

inline std::vector<uint8_t> Pack(const fb::ModelT& model) {
  flatbuffers::FlatBufferBuilder fbb;
  fbb.Finish(fb::Model::Pack(fbb, &model), fb::ModelIdentifier());
  return {fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize()};
}

}  // namespace kiln::test
