#include "ui/shown_run.h"

#include <QFileInfo>
#include <torch/torch.h>

#include "core/capture/attention_record.h"

namespace attnscope {

namespace {

constexpr int kInputLabelCharacters = 32;

// variant − reference of two dense records, with the variant's tokens; null when either
// record keeps only Q and K (the head view draws those differences tile by tile).
std::shared_ptr<const AttentionRecord> differenceOf(const AttentionRecord &variant, const AttentionRecord &reference)
{
    if (!variant.isDense() || !reference.isDense())
        return nullptr;
    auto difference = AttentionRecord::fromProbabilities(variant.all() - reference.all());
    difference->tokens = variant.tokens;
    difference->modelName = variant.modelName;
    difference->variantSpecs = variant.variantSpecs;
    return difference;
}

} // namespace

struct ShownRun::Private {
    std::shared_ptr<const AttentionRecord> record;
    std::shared_ptr<const AttentionRecord> reference;
    mutable std::shared_ptr<const AttentionRecord> difference; // made on first use
    mutable bool differenceMade = false;
    QStringList tokens;
    bool causal = false;
    RunInput input;
    RunInput current;
    ComparedMap map = ComparedMap::Variant;
};

ShownRun::ShownRun(QObject *parent) : QObject(parent), d(std::make_unique<Private>()) {}
ShownRun::~ShownRun() = default;

void ShownRun::setRun(std::shared_ptr<const AttentionRecord> record, std::shared_ptr<const AttentionRecord> reference,
                      const QStringList &tokens, bool causal, const RunInput &input)
{
    const bool wasStale = isStale();
    d->record = std::move(record);
    d->reference = std::move(reference);
    d->difference.reset();
    d->differenceMade = false;
    d->tokens = tokens;
    d->causal = causal;
    d->input = input;
    d->current = input;
    Q_EMIT shownChanged();
    if (wasStale)
        Q_EMIT staleChanged(false);
}

void ShownRun::setMap(ComparedMap map)
{
    if (map == d->map)
        return;
    d->map = map;
    if (isComparison())
        Q_EMIT shownChanged();
}

void ShownRun::setCurrentInput(const RunInput &input)
{
    const bool wasStale = isStale();
    d->current = input;
    if (isStale() != wasStale)
        Q_EMIT staleChanged(isStale());
}

bool ShownRun::hasRun() const { return d->record != nullptr; }
bool ShownRun::isComparison() const { return d->reference != nullptr; }
ComparedMap ShownRun::map() const { return isComparison() ? d->map : ComparedMap::Variant; }
bool ShownRun::isDifference() const { return map() == ComparedMap::Difference; }
bool ShownRun::isStale() const { return hasRun() && d->current != d->input; }
const RunInput &ShownRun::input() const { return d->input; }
const QStringList &ShownRun::tokens() const { return d->tokens; }
bool ShownRun::causal() const { return d->causal; }
std::shared_ptr<const AttentionRecord> ShownRun::variantRecord() const { return d->record; }
std::shared_ptr<const AttentionRecord> ShownRun::referenceRecord() const { return d->reference; }

QString ShownRun::staleReason() const
{
    if (!isStale())
        return {};
    QStringList changed;
    if (d->current.text != d->input.text || d->current.textPair != d->input.textPair)
        changed << tr("the text changed");
    if (d->current.image != d->input.image)
        changed << tr("the image changed");
    if (d->current.variantSpec != d->input.variantSpec)
        changed << (d->current.variantSpec.isEmpty() ? tr("the variant was turned off")
                    : d->input.variantSpec.isEmpty() ? tr("a variant was turned on")
                                                     : tr("the variant changed"));
    return changed.join(QStringLiteral(", "));
}

std::shared_ptr<const AttentionRecord> ShownRun::record() const
{
    switch (map()) {
    case ComparedMap::Reference: return d->reference;
    case ComparedMap::Variant: return d->record;
    case ComparedMap::Difference:
        if (!d->differenceMade) {
            d->difference = differenceOf(*d->record, *d->reference);
            d->differenceMade = true;
        }
        return d->difference;
    }
    return d->record;
}

QString ShownRun::runName() const
{
    const QString spec = d->input.variantSpec;
    if (!d->input.attentionFile.isEmpty())
        return tr("file %1").arg(QFileInfo(d->input.attentionFile).fileName());
    switch (map()) {
    case ComparedMap::Reference: return tr("reference");
    case ComparedMap::Variant: return spec.isEmpty() ? tr("reference") : tr("variant %1").arg(spec);
    case ComparedMap::Difference: return tr("variant − reference (%1)").arg(spec);
    }
    return {};
}

QString ShownRun::inputLabel() const
{
    if (!d->input.image.isEmpty())
        return QFileInfo(d->input.image).fileName();
    QString text = d->input.text.simplified();
    if (!d->input.textPair.isEmpty())
        text += QStringLiteral(" | ") + d->input.textPair.simplified();
    if (text.isEmpty())
        return {};
    if (text.size() > kInputLabelCharacters)
        text = text.left(kInputLabelCharacters).trimmed() + QChar(0x2026);
    return QStringLiteral("“%1”").arg(text);
}

QString ShownRun::caption(const QString &what) const
{
    if (!hasRun())
        return tr("No run yet: type a text and Run");
    QStringList parts{runName()};
    if (!what.isEmpty())
        parts << what;
    if (!inputLabel().isEmpty())
        parts << inputLabel();
    const QString caption = parts.join(QStringLiteral(" · "));
    return isStale() ? tr("Out of date (%1) — Run to update · %2").arg(staleReason(), caption) : caption;
}

} // namespace attnscope
