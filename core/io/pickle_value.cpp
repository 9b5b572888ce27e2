#include "core/io/pickle_value.h"

namespace attnscope {

PickleValue::~PickleValue()
{
    std::vector<PickleRef> pending = std::move(items);
    while (!pending.empty()) {
        PickleRef last = std::move(pending.back());
        pending.pop_back();
        if (last && last.use_count() == 1)
            for (PickleRef &child : last->items)
                pending.push_back(std::move(child));
    }
}

const char *kindName(PickleValue::Kind kind)
{
    switch (kind) {
    case PickleValue::Kind::None: return "None";
    case PickleValue::Kind::Bool: return "bool";
    case PickleValue::Kind::Int: return "int";
    case PickleValue::Kind::Float: return "float";
    case PickleValue::Kind::Text: return "str";
    case PickleValue::Kind::Bytes: return "bytes";
    case PickleValue::Kind::Tuple: return "tuple";
    case PickleValue::Kind::List: return "list";
    case PickleValue::Kind::Dict: return "dict";
    case PickleValue::Kind::Global: return "global";
    case PickleValue::Kind::Extension: return "object";
    }
    return "value";
}

} // namespace attnscope
