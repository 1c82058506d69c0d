// The compiled-plan verifier (src/compiler/plan_verifier.h) on hand-made plans.
#include <catch2/catch.hpp>

#include "compiler/plan_verifier.h"
#include "harness.h"

using namespace webnn;
using webnn::test::GraphHarness;

namespace {

Step step(const std::string& name, std::vector<int> reads, std::vector<int> writes) {
  return Step{name, std::move(reads), std::move(writes), nullptr};
}

// Operands 0 (input) and 1 (constant); 2, 3, 4 in a 256-byte arena at the given offsets; 5 the output.
struct HandPlan {
  alignas(64) unsigned char arena[256];
  float constant[4] = {1, 2, 3, 4};
  PlanLayout layout;
  HandPlan(size_t off2, size_t off3, size_t off4) {
    layout.arena = arena;
    layout.arenaBytes = sizeof arena;
    layout.pointers = {nullptr, constant, arena + off2, arena + off3, arena + off4, nullptr};
    layout.bytes.assign(6, 16);
    layout.inputs = {0};
    layout.outputs = {5};
  }
  Status verify(const std::vector<Step>& steps) const { return verifyPlan(steps, layout); }
};

void requireRejected(const Status& s, const std::string& what) {
  INFO(s.message());
  REQUIRE_FALSE(s.isOk());
  CHECK(s.kind() == ErrorKind::UnknownError);
  CHECK(s.message().find(what) != std::string::npos);
}

}  // namespace

TEST_CASE("plan verifier: a well-formed plan passes", "[verifier]") {
  HandPlan p(0, 64, 0);  // 4 reuses 2's bytes once 2 is dead
  CHECK(p.verify({step("a", {0, 1}, {2}), step("b", {2}, {3}), step("c", {3}, {4}), step("d", {4}, {5})}).isOk());
}

TEST_CASE("plan verifier: a step reading an operand no earlier step wrote is rejected", "[verifier]") {
  HandPlan p(0, 64, 128);
  // Issue #13's shape: the fused step runs before its side operand (3) is computed.
  requireRejected(p.verify({step("a", {0}, {2}), step("pow+add", {2, 3}, {5}), step("pow", {0}, {3})}),
                  "step 1 (pow+add) reads operand 3 before it is written");
}

TEST_CASE("plan verifier: bytes reused while a later step needs them are rejected", "[verifier]") {
  HandPlan p(0, 0, 128);  // 2 and 3 share bytes, but 2 is read after 3 is written
  requireRejected(p.verify({step("a", {0}, {2}), step("b", {0}, {3}), step("c", {2, 3}, {5})}),
                  "step 2 (c) reads operand 2");
}

Step inPlace(const std::string& name, std::vector<int> reads, int in, int out) {
  Step s = step(name, std::move(reads), {out});
  s.aliasIn = in;
  s.aliasOut = out;
  return s;
}

TEST_CASE("plan verifier: reading the input of an in-place step afterwards is rejected", "[verifier]") {
  HandPlan p(0, 0, 128);  // step b writes 3 over 2 in place; step c still reads 2
  CHECK(p.verify({step("a", {0}, {2}), inPlace("b", {2}, 2, 3), step("c", {3}, {5})}).isOk());
  requireRejected(p.verify({step("a", {0}, {2}), inPlace("b", {2}, 2, 3), step("c", {2}, {5})}),
                  "step 2 (c) reads operand 2");
  // A scratch buffer (written by its step) clobbers a live operand the same way.
  requireRejected(p.verify({step("a", {0}, {2}), step("b+scratch", {0}, {4, 3}), step("c", {2}, {5})}),
                  "step 2 (c) reads operand 2");
}

TEST_CASE("plan verifier: a step writing over bytes it reads is rejected unless declared in place", "[verifier]") {
  HandPlan p(0, 0, 128);  // 2 and 3 share bytes; 4 is an elided view of 2
  p.layout.views = {{2, 4}};
  p.layout.pointers[4] = p.arena;
  requireRejected(p.verify({step("a", {0}, {2}), step("b", {2}, {3}), step("c", {3}, {5})}),
                  "step 1 (b) writes operand 3 over operand 2, which it also reads");
  // In place over 2, but 2 is also read through its view 4 (a chain's side): rejected.
  requireRejected(p.verify({step("a", {0}, {2}), inPlace("b", {2, 4}, 2, 3), step("c", {3}, {5})}),
                  "step 1 (b) writes operand 3 over operand 4, which it also reads");
  requireRejected(p.verify({step("a", {0}, {2}), inPlace("b", {2, 2}, 2, 3), step("c", {3}, {5})}),
                  "writes operand 3 over operand 2, which it also reads");
}

TEST_CASE("plan verifier: a view reads its source's current bytes", "[verifier]") {
  HandPlan p(0, 0, 128);  // 3 is an elided view of 2
  p.layout.views = {{2, 3}};
  CHECK(p.verify({step("a", {0}, {2}), step("b", {3}, {5})}).isOk());
  // 4 overwrites... nothing here; but a step writing 2's bytes through another id invalidates the view.
  p.layout.pointers[4] = p.arena;
  requireRejected(p.verify({step("a", {0}, {2}), step("x", {0}, {4}), step("b", {3}, {5})}),
                  "step 2 (b) reads operand 3");
  requireRejected(p.verify({step("a", {0}, {2}), step("b", {0}, {3}), step("c", {3}, {5})}), "is a constant, an input or a view");
}

TEST_CASE("plan verifier: bad writes, unbound operands and unwritten outputs are rejected", "[verifier]") {
  HandPlan p(0, 64, 128);
  requireRejected(p.verify({step("a", {0}, {1}), step("b", {1}, {5})}), "writes operand 1, which is a constant");
  requireRejected(p.verify({step("a", {1}, {0}), step("b", {0}, {5})}), "writes operand 0");
  requireRejected(p.verify({step("a", {0}, {2})}), "no step writes output operand 5");
  requireRejected(p.verify({step("a", {5}, {2}), step("b", {2}, {5})}), "step 0 (a) reads operand 5 before it is written");
  requireRejected(p.verify({step("a", {0, 7}, {5})}), "reads operand 7, which has no buffer");
  p.layout.pointers[3] = p.arena + 8;  // not on the plan's 64-byte grid
  requireRejected(p.verify({step("a", {0}, {5})}), "misplaced in the arena");
}
