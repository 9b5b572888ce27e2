#pragma once
// What every view of the workspace shows, named once: the last run (the reference alone, or
// the reference and a variant), which of its maps is shown (reference, variant or
// variant − reference), the input it was made from, and whether the input, model or
// variant has changed since (out of date). Views take their attention from here and their
// caption from caption(), so no view can show one run under another's name.

#include <memory>

#include <QObject>
#include <QStringList>

namespace attnscope {

class AttentionRecord;

// What the views show after a comparison.
enum class ComparedMap { Reference, Variant, Difference };

// What a finished run was made from; two runs with equal inputs show the same thing.
struct RunInput {
    QString text;
    QString textPair;
    QString image;
    QString attentionFile; // attention loaded from a file: nothing was run
    QString variantSpec;   // empty: the reference alone
    bool operator==(const RunInput &other) const
    {
        return text == other.text && textPair == other.textPair && image == other.image
               && attentionFile == other.attentionFile && variantSpec == other.variantSpec;
    }
    bool operator!=(const RunInput &other) const { return !(*this == other); }
};

class ShownRun : public QObject {
    Q_OBJECT
public:
    explicit ShownRun(QObject *parent = nullptr);
    ~ShownRun() override;

    // A finished run: its record (the variant's when it compared one), the reference record
    // of a comparison (null otherwise), its token labels and what it was made from.
    void setRun(std::shared_ptr<const AttentionRecord> record, std::shared_ptr<const AttentionRecord> reference,
                const QStringList &tokens, bool causal, const RunInput &input);
    void setMap(ComparedMap map);
    // The input as it stands now; the run is out of date while it differs from the run's.
    void setCurrentInput(const RunInput &input);

    bool hasRun() const;
    bool isComparison() const;
    ComparedMap map() const; // Variant without a comparison means "the run"
    bool isDifference() const;
    bool isStale() const;
    QString staleReason() const; // "the text changed", …; empty when current
    const RunInput &input() const;
    const QStringList &tokens() const;
    bool causal() const;

    // The attention of the shown map. A difference is a record of signed values
    // (variant − reference), made when both records are dense; null for longer inputs.
    std::shared_ptr<const AttentionRecord> record() const;
    std::shared_ptr<const AttentionRecord> variantRecord() const;   // the run's own record
    std::shared_ptr<const AttentionRecord> referenceRecord() const; // null without a comparison

    // "reference", "variant topk:k=8", "variant − reference (topk:k=8)" or "file attn.safetensors".
    QString runName() const;
    // The input's first words, quoted ("image.png" for an image; empty for a file).
    QString inputLabel() const;
    // "<run> · <what> · <input>", prefixed "Out of date (…) — Run to update · " when stale.
    QString caption(const QString &what) const;

Q_SIGNALS:
    void shownChanged(); // a new run, or another map of the same run
    void staleChanged(bool stale);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace attnscope
