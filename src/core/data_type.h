// The WebNN operand data types, generated from one X-macro list so the enum, its spec name and its
// element size never drift apart.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace webnn {

// X(enumerator, spec name, C++ storage type)
#define WEBNN_DATA_TYPES(X)      \
  X(Float32, "float32", float)   \
  X(Float16, "float16", uint16_t) \
  X(Int32, "int32", int32_t)     \
  X(Uint32, "uint32", uint32_t)  \
  X(Int64, "int64", int64_t)     \
  X(Uint64, "uint64", uint64_t)  \
  X(Int8, "int8", int8_t)        \
  X(Uint8, "uint8", uint8_t)

enum class DataType : uint8_t {
#define X(e, name, type) e,
  WEBNN_DATA_TYPES(X)
#undef X
};

constexpr int kDataTypeCount = 0
#define X(e, name, type) +1
    WEBNN_DATA_TYPES(X)
#undef X
    ;

inline size_t dataTypeSize(DataType t) {
  switch (t) {
#define X(e, name, type) \
  case DataType::e:      \
    return sizeof(type);
    WEBNN_DATA_TYPES(X)
#undef X
  }
  return 0;
}

inline const char* dataTypeName(DataType t) {
  switch (t) {
#define X(e, name, type) \
  case DataType::e:      \
    return name;
    WEBNN_DATA_TYPES(X)
#undef X
  }
  return "unknown";
}

// Returns false when `name` is not a WebNN data type.
inline bool parseDataType(const std::string& name, DataType* out) {
#define X(e, n, type)      \
  if (name == n) {         \
    *out = DataType::e;    \
    return true;           \
  }
  WEBNN_DATA_TYPES(X)
#undef X
  return false;
}

// A set of data types as a bit mask (used by validation and opSupportLimits).
using DataTypeSet = uint32_t;
constexpr DataTypeSet bit(DataType t) { return 1u << static_cast<unsigned>(t); }
constexpr DataTypeSet kFloatTypes = bit(DataType::Float32) | bit(DataType::Float16);
constexpr DataTypeSet kAllTypes = (1u << kDataTypeCount) - 1;
inline bool contains(DataTypeSet s, DataType t) { return (s & bit(t)) != 0; }

}  // namespace webnn
