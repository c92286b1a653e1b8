// Errors as values: Status for "ok or an error message", Expected<T> for
// "a value or an error message". User-facing diagnostics travel this way,
// up to the CLI, which prints them once. Internal invariants use assert.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

#include <fmt/format.h>

namespace kiln {

/// A user-facing error: one sentence naming what is wrong and where.
struct Error {
  std::string message;
};

/// The result of an operation that produces no value.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)) {}  // NOLINT: implicit by design
  static Status Ok() { return Status(); }

  bool ok() const { return !error_.has_value(); }
  const std::string& message() const { return error_->message; }
  const Error& error() const { return *error_; }

 private:
  std::optional<Error> error_;
};

/// A value of type T, or an Error.
template <typename T>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : state_(std::move(value)) {}  // NOLINT: implicit by design
  Expected(Error error) : state_(std::move(error)) {}  // NOLINT
  Expected(Status status) : state_(status.error()) {}  // NOLINT: status must not be ok

  bool ok() const { return std::holds_alternative<T>(state_); }
  const std::string& message() const { return std::get<Error>(state_).message; }
  Status status() const { return ok() ? Status() : Status(std::get<Error>(state_)); }

  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }

 private:
  std::variant<T, Error> state_;
};

/// Builds an Error with fmt-style formatting.
template <typename... Args>
Error MakeError(fmt::format_string<Args...> format, Args&&... args) {
  return Error{fmt::format(format, std::forward<Args>(args)...)};
}

}  // namespace kiln

#define KILN_CONCAT_INNER(a, b) a##b
#define KILN_CONCAT(a, b) KILN_CONCAT_INNER(a, b)

/// Returns the error of a Status or Expected expression from the enclosing function.
#define KILN_RETURN_IF_ERROR(expr)                          \
  do {                                                      \
    auto kiln_status_ = (expr);                             \
    if (!kiln_status_.ok()) return ::kiln::Error{kiln_status_.message()}; \
  } while (0)

/// Evaluates an Expected expression; on success binds its value to `lhs`,
/// otherwise returns the error from the enclosing function.
#define KILN_ASSIGN_OR_RETURN(lhs, expr) \
  KILN_ASSIGN_OR_RETURN_IMPL(KILN_CONCAT(kiln_expected_, __LINE__), lhs, expr)
#define KILN_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr)          \
  auto tmp = (expr);                                        \
  if (!tmp.ok()) return ::kiln::Error{tmp.message()};       \
  lhs = std::move(tmp).value()
