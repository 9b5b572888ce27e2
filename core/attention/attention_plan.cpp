#include <algorithm>

#include "core/attention/variant.h"

namespace attnscope {

namespace {
bool listed(const std::vector<int> &values, int value)
{
    return values.empty() || std::find(values.begin(), values.end(), value) != values.end();
}
} // namespace

bool VariantScope::covers(int layer, int head) const
{
    return variant && listed(layers, layer) && listed(heads, head);
}

const AttentionVariant *AttentionPlan::variantFor(int layer, int head) const
{
    for (const VariantScope &scope : scopes)
        if (scope.covers(layer, head))
            return scope.variant.get();
    return nullptr;
}

} // namespace attnscope
