#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "compiler/compiler.h"

int main(int argc, char* argv[]) {
  // Every plan the suite compiles is checked by the plan verifier (src/compiler/plan_verifier.h).
  webnn::CompileOptions::setVerifyPlansByDefault(true);
  return Catch::Session().run(argc, argv);
}
