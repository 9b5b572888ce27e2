#include "app/cli/variant_option.h"

#include "core/attention/variant_registry.h"
#include "core/attention/variant_spec.h"

namespace attnscope::cli {

void addVariantOption(QCommandLineParser &parser, const QString &description)
{
    parser.setApplicationDescription(description + QStringLiteral("\n\n") + variantHelpText());
    parser.addOption({QStringLiteral("variant"),
                      QStringLiteral("Variant SPEC (repeatable; the first that covers a head wins)."),
                      QStringLiteral("SPEC")});
}

AttentionPlan variantPlan(const QCommandLineParser &parser)
{
    return parsePlan(parser.values(QStringLiteral("variant")));
}

} // namespace attnscope::cli
