// Errors are values in the engine: nothing aborts, and only a failed allocation throws
// (std::bad_alloc, caught at the API boundary: catchAllocationFailure in api/context.h). The
// kinds map one to one onto the exceptions the WebNN spec names, which the JS layer raises.
#pragma once
#include <string>
#include <utility>

namespace webnn {

enum class ErrorKind { None, TypeError, DataError, InvalidStateError, NotSupportedError, OperationError, UnknownError };

inline const char* errorKindName(ErrorKind k) {
  switch (k) {
    case ErrorKind::None: return "None";
    case ErrorKind::TypeError: return "TypeError";
    case ErrorKind::DataError: return "DataError";
    case ErrorKind::InvalidStateError: return "InvalidStateError";
    case ErrorKind::NotSupportedError: return "NotSupportedError";
    case ErrorKind::OperationError: return "OperationError";
    case ErrorKind::UnknownError: return "UnknownError";
  }
  return "UnknownError";
}

class Status {
 public:
  Status() = default;
  static Status ok() { return Status(); }
  static Status error(ErrorKind kind, std::string message) { return Status(kind, std::move(message)); }
  static Status typeError(std::string m) { return Status(ErrorKind::TypeError, std::move(m)); }
  static Status dataError(std::string m) { return Status(ErrorKind::DataError, std::move(m)); }
  static Status invalidState(std::string m) { return Status(ErrorKind::InvalidStateError, std::move(m)); }
  static Status notSupported(std::string m) { return Status(ErrorKind::NotSupportedError, std::move(m)); }

  bool isOk() const { return kind_ == ErrorKind::None; }
  ErrorKind kind() const { return kind_; }
  const std::string& message() const { return message_; }

 private:
  Status(ErrorKind k, std::string m) : kind_(k), message_(std::move(m)) {}
  ErrorKind kind_ = ErrorKind::None;
  std::string message_;
};

#define WEBNN_RETURN_IF_ERROR(expr)      \
  do {                                   \
    ::webnn::Status _s = (expr);         \
    if (!_s.isOk()) return _s;           \
  } while (0)

}  // namespace webnn
