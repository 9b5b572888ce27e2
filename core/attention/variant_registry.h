#pragma once
// Every attention variant by name: its parameters (names, defaults, ranges, descriptions),
// a one-line summary citing its source, and a factory. The CLI help, the GUI menus and the
// docs all read this list. Adding a variant: one file plus one line in variant_registry.cpp.

#include <functional>
#include <memory>
#include <vector>

#include "core/attention/parameterized_variant.h"

namespace attnscope {

struct VariantInfo {
    QString name;
    QString summary; // one line, citing the paper the variant comes from
    std::vector<VariantParameter> parameters;
    std::function<std::shared_ptr<const ParameterizedVariant>(const VariantParameters &)> create;
};

const std::vector<VariantInfo> &variantRegistry();
const VariantInfo *findVariant(const QString &name);
QStringList variantNames();
// A help text listing every variant with its parameters, for `--help` and the docs.
QString variantHelpText();

// Helpers for the variant files' declarations.
VariantParameter integerParameter(const QString &name, int64_t defaultValue, int64_t minimum,
                                  int64_t maximum, const QString &description);
VariantParameter realParameter(const QString &name, double defaultValue, double minimum,
                               double maximum, const QString &description);
// The first choice is the default.
VariantParameter choiceParameter(const QString &name, const QStringList &choices,
                                 const QString &description);
VariantParameter indicesParameter(const QString &name, const QString &defaultValue,
                                  const QString &description);

template <class Variant>
VariantInfo describeVariant(const QString &name, const QString &summary,
                            std::vector<VariantParameter> parameters)
{
    return {name, summary, std::move(parameters), [](const VariantParameters &values) {
                return std::make_shared<const Variant>(values);
            }};
}

} // namespace attnscope
