#pragma once
// The common base of the registered variants: keeps the parsed parameters (which give
// spec()) and says what the variant would cost in a kernel of its own.

#include "core/attention/variant.h"
#include "core/attention/variant_cost.h"
#include "core/attention/variant_parameters.h"

namespace attnscope {

class ParameterizedVariant : public AttentionVariant {
public:
    explicit ParameterizedVariant(VariantParameters parameters)
        : m_parameters(std::move(parameters)) {}

    QString spec() const override { return m_parameters.spec(); }
    virtual VariantCost cost(const AttentionShape &shape) const = 0;

protected:
    const VariantParameters &parameters() const { return m_parameters; }

private:
    VariantParameters m_parameters;
};

} // namespace attnscope
