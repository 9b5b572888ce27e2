#pragma once
// Variant SPECs: `name[:key=value,…][@layers=RANGE][@heads=RANGE]`, RANGE like 0-3,5.
// A list value may carry commas too: `steer:highlight=3-5,9,alpha=0.01`.
// Errors throw VariantSpecError naming the unknown variant, parameter or scope.

#include <QStringList>

#include "core/attention/variant.h"
#include "core/attention/variant_parameters.h"

namespace attnscope {

VariantScope parseVariantSpec(const QString &spec);

// One scope per SPEC, in order (the first that covers a head wins).
AttentionPlan parsePlan(const QStringList &specs);

// Throws VariantSpecError when a scope names a layer or head the model does not have.
void checkPlanFits(const AttentionPlan &plan, int layers, int heads);

// The SPEC that recreates a scope, e.g. "window:size=4@layers=0-2,4".
QString scopeSpec(const VariantScope &scope);
QStringList planSpecs(const AttentionPlan &plan);

} // namespace attnscope
