// The non-operand arguments and options of an operation, as a small typed bag keyed by the spec's
// member names ("strides", "inputLayout", "axis", ...). The JS layer fills it after IDL conversion;
// each op's validation reads what it needs, applying the spec's defaults.
#pragma once
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace webnn {

using AttrValue = std::variant<bool, double, std::string, std::vector<double>>;

class Attributes {
 public:
  void set(const std::string& key, AttrValue v) { values_[key] = std::move(v); }
  bool has(const std::string& key) const { return values_.count(key) != 0; }

  bool getBool(const std::string& key, bool def) const {
    auto* v = find<bool>(key);
    return v ? *v : def;
  }
  double getNumber(const std::string& key, double def) const {
    auto* v = find<double>(key);
    return v ? *v : def;
  }
  float getFloat(const std::string& key, float def) const { return static_cast<float>(getNumber(key, def)); }
  int64_t getInt(const std::string& key, int64_t def) const {
    auto* v = find<double>(key);
    return v ? saturatingCast<int64_t>(*v) : def;
  }
  std::string getString(const std::string& key, const std::string& def) const {
    auto* v = find<std::string>(key);
    return v ? *v : def;
  }
  std::vector<double> getNumbers(const std::string& key, std::vector<double> def = {}) const {
    auto* v = find<std::vector<double>>(key);
    return v ? *v : def;
  }
  template <typename Int>
  std::vector<Int> getInts(const std::string& key, std::vector<Int> def = {}) const {
    auto* v = find<std::vector<double>>(key);
    if (!v) return def;
    std::vector<Int> out;
    out.reserve(v->size());
    for (double d : *v) out.push_back(saturatingCast<Int>(d));
    return out;
  }

  // double -> integer without undefined behaviour: truncates, clamps to Int's range, NaN -> 0.
  // (The JS layer only sends finite integers in range; native callers may send anything.)
  template <typename Int>
  static Int saturatingCast(double d) {
    if (std::isnan(d)) return 0;
    constexpr double lo = double(std::numeric_limits<Int>::lowest());
    constexpr double hi = double(std::numeric_limits<Int>::max());
    if (d <= lo) return std::numeric_limits<Int>::lowest();
    if (d >= hi) return std::numeric_limits<Int>::max();
    return static_cast<Int>(d);
  }

 private:
  template <typename T>
  const T* find(const std::string& key) const {
    auto it = values_.find(key);
    return it == values_.end() ? nullptr : std::get_if<T>(&it->second);
  }
  std::map<std::string, AttrValue> values_;
};

}  // namespace webnn
