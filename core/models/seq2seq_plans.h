#pragma once
// Variant SPECs for encoder–decoder models: `@stack=encoder|decoder|cross` (repeatable, or
// a comma list) puts a variant on those stacks only; without it a variant applies to all
// three. Layer and head numbers count within each stack.

#include <QStringList>

#include "core/models/seq2seq_model.h"

namespace attnscope {

// Throws VariantSpecError for an unknown stack or any error parsePlan() finds.
Seq2SeqPlans parseSeq2SeqPlans(const QStringList &specs);

// Throws VariantSpecError when a stack's plan names a layer or head that stack does not have.
void checkSeq2SeqPlansFit(const Seq2SeqPlans &plans, const Seq2SeqInfo &stacks);

// The SPECs back, each with its @stack when it does not cover all three.
QStringList seq2seqPlanSpecs(const QStringList &specs);

} // namespace attnscope
