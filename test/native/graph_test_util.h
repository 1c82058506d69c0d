// Helpers for tests that build a graph through the C++ API and run it.
#pragma once
#include <catch2/catch.hpp>

#include <cmath>
#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "api/context.h"

namespace webnn::test {

inline std::vector<float> randomFloats(size_t n, uint32_t seed, float lo = -1.f, float hi = 1.f) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> v(n);
  for (float& x : v) x = dist(rng);
  return v;
}

inline size_t count(const Shape& s) {
  size_t n = 1;
  for (uint32_t d : s) n *= d;
  return n;
}

// A builder with a context of `threads` threads; run() feeds float inputs and returns the outputs.
struct GraphHarness {
  explicit GraphHarness(size_t threads = 1) : context(threads), builder(&context) {}
  Context context;
  GraphBuilder builder;
  std::vector<std::vector<float>> inputData;

  int input(const std::string& name, Shape shape, std::vector<float> data, DataType t = DataType::Float32) {
    inputData.push_back(std::move(data));
    int id = builder.input(name, {t, std::move(shape)});
    REQUIRE(id >= 0);
    return id;
  }
  template <typename T = float>
  int constant(Shape shape, const std::vector<T>& data, DataType t = DataType::Float32) {
    int id = builder.constant({t, std::move(shape)}, data.data(), data.size() * sizeof(T));
    REQUIRE(id >= 0);
    return id;
  }
  int op(const std::string& name, std::vector<std::pair<std::string, int>> inputs, Attributes attrs = {},
         const std::string& label = "") {
    std::vector<int> outs = builder.addOperation(name, inputs, attrs, label);
    INFO(builder.errorMessage());
    REQUIRE(outs.size() >= 1);
    return outs[0];
  }
  // Expects addOperation to fail with a TypeError whose message names the op.
  void expectTypeError(const std::string& name, std::vector<std::pair<std::string, int>> inputs, Attributes attrs = {},
                       const std::string& label = "lbl") {
    std::vector<int> outs = builder.addOperation(name, inputs, attrs, label);
    REQUIRE(outs.empty());
    CHECK(builder.error().kind() == ErrorKind::TypeError);
    CHECK(builder.errorMessage().find(name) != std::string::npos);
    CHECK(builder.errorMessage().find("[" + label + "]") != std::string::npos);
  }
  // Builds with the given outputs and runs once; returns each output's bytes as floats (a float
  // output has one value per element).
  std::vector<std::vector<float>> run(const std::vector<int>& outputs, std::string* plan = nullptr) {
    std::vector<std::pair<std::string, int>> named;
    std::vector<OperandDesc> descs;
    for (size_t i = 0; i < outputs.size(); ++i) {
      named.push_back({"out" + std::to_string(i), outputs[i]});
      descs.push_back(*builder.operandDesc(outputs[i]));
    }
    // Input data was given in declaration order: map operand ids to it before build() spends the graph.
    std::vector<int> inputOrder;
    for (size_t id = 0; id < builder.graph().operands.size(); ++id)
      if (builder.graph().operands[id].kind == OperandKind::Input) inputOrder.push_back(int(id));
    std::unique_ptr<CompiledGraph> graph = builder.build(named);
    INFO(builder.errorMessage());
    REQUIRE(graph);
    if (plan) *plan = graph->planReport();
    std::vector<void*> in;
    for (const GraphPort& port : graph->inputs()) {
      size_t index = std::find(inputOrder.begin(), inputOrder.end(), port.operand) - inputOrder.begin();
      in.push_back(inputData[index].data());
    }
    std::vector<std::vector<float>> results;
    std::vector<void*> out;
    for (const OperandDesc& d : descs) results.emplace_back((d.byteLength() + sizeof(float) - 1) / sizeof(float));
    for (auto& r : results) out.push_back(r.data());
    graph->dispatch(in.data(), out.data());
    return results;
  }
};

inline void requireClose(const std::vector<float>& got, const std::vector<float>& want, float atol = 1e-5f,
                         float rtol = 1e-5f) {
  REQUIRE(got.size() == want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    if (std::isnan(want[i])) {
      REQUIRE(std::isnan(got[i]));
      continue;
    }
    INFO("index " << i << ": got " << got[i] << " want " << want[i]);
    REQUIRE(std::fabs(got[i] - want[i]) <= atol + rtol * std::fabs(want[i]));
  }
}

}  // namespace webnn::test
