#include "core/models/seq2seq_plans.h"

#include "core/attention/variant_parameters.h"
#include "core/attention/variant_spec.h"

namespace attnscope {

namespace {

const QStringList &stackNames()
{
    static const QStringList names{QStringLiteral("encoder"), QStringLiteral("decoder"), QStringLiteral("cross")};
    return names;
}

struct StackSpec {
    QString spec;       // without @stack
    QStringList stacks; // in the order of stackNames()
};

StackSpec splitStacks(const QString &spec)
{
    const QStringList parts = spec.trimmed().split(QLatin1Char('@'));
    QStringList kept{parts.first()}, named;
    for (int i = 1; i < parts.size(); ++i) {
        if (!parts[i].startsWith(QLatin1String("stack="))) {
            kept << parts[i];
            continue;
        }
        for (const QString &name : parts[i].mid(6).split(QLatin1Char(',')))
            if (!stackNames().contains(name))
                throw VariantSpecError(QStringLiteral("variant '%1': unknown stack '%2' (use @stack=encoder, decoder or cross)")
                                           .arg(parts.first(), name));
            else
                named << name;
    }
    StackSpec result{kept.join(QLatin1Char('@')), {}};
    for (const QString &name : stackNames())
        if (named.isEmpty() || named.contains(name))
            result.stacks << name;
    return result;
}

} // namespace

Seq2SeqPlans parseSeq2SeqPlans(const QStringList &specs)
{
    QStringList encoder, decoder, cross;
    for (const QString &spec : specs) {
        const StackSpec split = splitStacks(spec);
        if (split.stacks.contains(QLatin1String("encoder")))
            encoder << split.spec;
        if (split.stacks.contains(QLatin1String("decoder")))
            decoder << split.spec;
        if (split.stacks.contains(QLatin1String("cross")))
            cross << split.spec;
    }
    return {parsePlan(encoder), parsePlan(decoder), parsePlan(cross)};
}

void checkSeq2SeqPlansFit(const Seq2SeqPlans &plans, const Seq2SeqInfo &stacks)
{
    const auto check = [](const AttentionPlan &plan, int layers, int heads, const char *stack) {
        try {
            checkPlanFits(plan, layers, heads);
        } catch (const VariantSpecError &error) {
            throw VariantSpecError(QStringLiteral("%1 in the %2 stack (a variant without @stack=encoder|decoder|cross "
                                                  "applies to all three)")
                                       .arg(QString::fromUtf8(error.what()), QLatin1String(stack)));
        }
    };
    check(plans.encoder, stacks.encoderLayers, stacks.encoderHeads, "encoder");
    check(plans.decoder, stacks.decoderLayers, stacks.decoderHeads, "decoder");
    check(plans.cross, stacks.decoderLayers, stacks.decoderHeads, "cross");
}

QStringList seq2seqPlanSpecs(const QStringList &specs)
{
    QStringList canonical;
    for (const QString &spec : specs) {
        const StackSpec split = splitStacks(spec);
        QString text = scopeSpec(parseVariantSpec(split.spec));
        if (split.stacks.size() < stackNames().size())
            text += QStringLiteral("@stack=") + split.stacks.join(QLatin1Char(','));
        canonical << text;
    }
    return canonical;
}

} // namespace attnscope
