#include "core/attention/variant_spec.h"

#include "core/attention/variant_registry.h"

namespace attnscope {

namespace {

// "k=8,highlight=3-5,9" → {k: 8, highlight: "3-5,9"}: a piece without '=' continues the
// previous value, so list values need no quoting.
std::map<QString, QString> splitParameters(const VariantInfo &info, const QString &text)
{
    std::map<QString, QString> values;
    QString last;
    for (const QString &piece : text.split(QLatin1Char(','))) {
        const int equals = piece.indexOf(QLatin1Char('='));
        if (equals < 0) {
            if (last.isEmpty())
                throw VariantSpecError(QStringLiteral("variant '%1': expected key=value, got '%2'")
                                           .arg(info.name, piece));
            values[last] += QLatin1Char(',') + piece;
            continue;
        }
        last = piece.left(equals).trimmed();
        if (values.count(last))
            throw VariantSpecError(QStringLiteral("variant '%1': parameter '%2' given twice")
                                       .arg(info.name, last));
        values[last] = piece.mid(equals + 1).trimmed();
    }
    return values;
}

VariantParameters checkedParameters(const VariantInfo &info, const QString &text)
{
    std::map<QString, QString> values;
    if (!text.isNull())
        values = splitParameters(info, text);
    for (auto &[name, value] : values) {
        const auto declared = std::find_if(info.parameters.begin(), info.parameters.end(),
                                           [&](const VariantParameter &p) { return p.name == name; });
        if (declared == info.parameters.end()) {
            QStringList known;
            for (const VariantParameter &parameter : info.parameters)
                known << parameter.name;
            throw VariantSpecError(
                QStringLiteral("unknown parameter '%1' for variant '%2' (%3)")
                    .arg(name, info.name,
                         known.isEmpty() ? QStringLiteral("it takes none")
                                         : QStringLiteral("it takes ") + known.join(QStringLiteral(", "))));
        }
        value = declared->checked(info.name, value);
    }
    return VariantParameters(info.name, info.parameters, std::move(values));
}

QString indexListText(const std::vector<int> &indices)
{
    QStringList pieces;
    for (size_t i = 0; i < indices.size();) {
        size_t j = i;
        while (j + 1 < indices.size() && indices[j + 1] == indices[j] + 1)
            ++j;
        pieces << (j == i ? QString::number(indices[i])
                          : QStringLiteral("%1-%2").arg(indices[i]).arg(indices[j]));
        i = j + 1;
    }
    return pieces.join(QLatin1Char(','));
}

} // namespace

VariantScope parseVariantSpec(const QString &spec)
{
    const QStringList parts = spec.trimmed().split(QLatin1Char('@'));
    const QString head = parts.first();
    const int colon = head.indexOf(QLatin1Char(':'));
    const QString name = head.left(colon).trimmed();
    const VariantInfo *info = findVariant(name);
    if (!info)
        throw VariantSpecError(QStringLiteral("unknown variant '%1' (known: %2)")
                                   .arg(name, variantNames().join(QStringLiteral(", "))));
    VariantScope scope;
    scope.variant = info->create(checkedParameters(*info, colon < 0 ? QString() : head.mid(colon + 1)));
    bool sawLayers = false;
    bool sawHeads = false;
    for (const QString &part : parts.mid(1)) {
        const QString key = part.section(QLatin1Char('='), 0, 0).trimmed();
        const QString value = part.section(QLatin1Char('='), 1);
        bool *seen = key == QLatin1String("layers") ? &sawLayers
                     : key == QLatin1String("heads") ? &sawHeads : nullptr;
        if (!seen)
            throw VariantSpecError(QStringLiteral("variant '%1': unknown scope '@%2' "
                                                  "(use @layers=RANGE or @heads=RANGE)")
                                       .arg(name, part));
        if (*seen)
            throw VariantSpecError(QStringLiteral("variant '%1': @%2 given twice").arg(name, key));
        *seen = true;
        const std::vector<int> indices =
            parseIndexList(value, QStringLiteral("variant '%1', @%2").arg(name, key));
        (key == QLatin1String("layers") ? scope.layers : scope.heads) = indices;
    }
    return scope;
}

AttentionPlan parsePlan(const QStringList &specs)
{
    AttentionPlan plan;
    for (const QString &spec : specs)
        plan.scopes.push_back(parseVariantSpec(spec));
    return plan;
}

void checkPlanFits(const AttentionPlan &plan, int layers, int heads)
{
    for (const VariantScope &scope : plan.scopes) {
        const auto check = [&](const std::vector<int> &indices, int count, const char *what) {
            if (!indices.empty() && indices.back() >= count)
                throw VariantSpecError(
                    QStringLiteral("variant '%1': %2 %3 does not exist (the model has %4: 0-%5)")
                        .arg(scopeSpec(scope), QLatin1String(what)).arg(indices.back())
                        .arg(count).arg(count - 1));
        };
        check(scope.layers, layers, "layer");
        check(scope.heads, heads, "head");
    }
}

QString scopeSpec(const VariantScope &scope)
{
    QString spec = scope.variant->spec();
    if (!scope.layers.empty())
        spec += QStringLiteral("@layers=") + indexListText(scope.layers);
    if (!scope.heads.empty())
        spec += QStringLiteral("@heads=") + indexListText(scope.heads);
    return spec;
}

QStringList planSpecs(const AttentionPlan &plan)
{
    QStringList specs;
    for (const VariantScope &scope : plan.scopes)
        specs << scopeSpec(scope);
    return specs;
}

} // namespace attnscope
