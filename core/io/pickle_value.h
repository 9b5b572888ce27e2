#pragma once
// The values our safe unpickler builds: plain data (None, bools, integers, floats, strings,
// bytes, tuples, lists, dicts), the names of allowed globals, and opaque results of the
// allowed calls (a storage, a tensor description) supplied by the caller's hooks.

#include <any>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace attnscope {

struct PickleValue;
using PickleRef = std::shared_ptr<PickleValue>;

struct PickleValue {
    enum class Kind { None, Bool, Int, Float, Text, Bytes, Tuple, List, Dict, Global, Extension };

    explicit PickleValue(Kind kind) : kind(kind) {}
    ~PickleValue(); // iterative, so that deeply nested input cannot overflow the stack
    PickleValue(const PickleValue &) = delete;
    PickleValue &operator=(const PickleValue &) = delete;

    Kind kind;
    int64_t integer = 0;          // Bool, Int
    double real = 0;              // Float
    std::string text;             // Text (UTF-8), Bytes, Global ("module.name")
    std::vector<PickleRef> items; // Tuple, List; Dict as key, value, key, value …
    std::any extension;           // Extension

    static PickleRef make(Kind kind) { return std::make_shared<PickleValue>(kind); }
    bool is(Kind k) const { return kind == k; }
};

const char *kindName(PickleValue::Kind kind); // "tuple", "dict" … for messages

} // namespace attnscope
