// f32 GRU and LSTM over a sequence (the cells are one step of one direction). Per direction the
// input projection of every step is one GEMM per gate; each step adds a GEMM per gate on the
// hidden state and an element-wise gate update. Gates are addressed by their row block in the
// weights (gatePos), so no layout conversion of the weights is needed.
#pragma once
#include <cstddef>
#include <memory>
#include <vector>

#include "kernels/gemm/gemm.h"

namespace webnn {

class ThreadPool;

enum class RnnActivation { Relu, Sigmoid, Tanh };

struct RnnParams {
  bool lstm = false;  // otherwise GRU
  size_t steps = 1, directions = 1, batch = 1, inputSize = 1, hidden = 1;
  bool backward = false;    // with one direction: process the sequence from the last step
  bool resetAfter = true;   // GRU
  RnnActivation act[3] = {RnnActivation::Sigmoid, RnnActivation::Tanh, RnnActivation::Tanh};
  // Row block of each canonical gate in weight / bias: GRU z, r, n; LSTM i, o, f, g.
  size_t gatePos[4] = {0, 1, 2, 3};
  size_t gates() const { return lstm ? 4 : 3; }
};

// Weights packed per (direction, gate) at build when they are constants; empty otherwise.
struct RnnPackedWeights {
  std::vector<PackedGemmB> w, r;  // [direction * gates + gate]
};

// Packs W [dirs, G*h, inputSize] and R [dirs, G*h, h] per gate. False on allocation failure.
bool packRnnWeights(const RnnParams& p, const float* w, const float* r, RnnPackedWeights* out);

size_t rnnScratchBytes(const RnnParams& p);

// Tensors as in the WebNN ops (cells: directions = 1 and steps = 1):
// x [steps, batch, inputSize]; w [dirs, G*h, inputSize]; r [dirs, G*h, h]; bias, recurrentBias [dirs, G*h];
// peephole [dirs, 3h] (i, o, f); h0, c0 [dirs, batch, h] (null: zeros).
// Outputs: outH, outC [dirs, batch, h] (outC LSTM only, may be null); outSeq [steps, dirs, batch, h] or null.
// w and r may be null when `packed` holds them (packRnnWeights).
void rnnF32(ThreadPool* pool, const RnnParams& p, const float* x, const float* w, const float* r,
            const RnnPackedWeights* packed, const float* bias, const float* recurrentBias, const float* peephole,
            const float* h0, const float* c0, float* outH, float* outC, float* outSeq, void* scratch);

}  // namespace webnn
