// Pass "gelu-recognition": gelu written out as element-wise ops, x * 0.5 * (1 + erf(x / sqrt 2)) in
// the orders TF.js's tf.layers and ONNX exporters write it, becomes one gelu op, which the fusion
// pass can then put in its producer's output stage (a dense layer's GEMM).
#pragma once
#include <string>
#include <vector>

#include "core/status.h"
#include "graph/graph.h"

namespace webnn {

// d = div(x, sqrt 2), e = erf(d), a = add(e, 1) (either order), then
//   x * (0.5 * a)     (TF.js: mul(x, mul(0.5, a)))
//   (x * a) * 0.5     (ONNX exporters: Mul(Mul(x, a), 0.5))
//   (x * 0.5) * a     (x * 0.5 * (1 + erf(...)) as Python writes it)
// with float32 scalar constants sqrt 2 (float(sqrt 2), as the exporters store it), 1 and 0.5, the
// multiplications in either operand order, and no other reader or graph output among the
// intermediates: the last multiplication becomes gelu(x) and the others go. gelu computes
// x * (0.5 * (1 + erf(x / sqrt 2))) in float32 in that order (kernels/activation.h), so the first
// form gives the same bits; the others differ only where a multiplication by 0.5 is inexact (|x|
// below 2^-125) or x * a overflows (|x| near FLT_MAX). A line per gelu in `report`. Fails only if
// the gelu does not validate (an engine bug).
Status recognizeGelu(Graph& graph, const std::vector<bool>& keep, std::vector<std::string>* report);

}  // namespace webnn
