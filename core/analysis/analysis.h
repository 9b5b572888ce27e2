#pragma once
// An analysis of attention: rollout, flow, head statistics … Each lives in its own file in
// core/analysis/ with plain-tensor math functions (testable without a model, usable on
// attention files loaded from disk) and one Analysis subclass that the registry lists.
// The CLI (`analyze --method NAME`) and the GUI run them through this interface.

#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <torch/types.h>

#include "core/models/model.h"

namespace attnscope {

class AttentionRecord;

// A bad option value; what() is one line naming the analysis and the option (CLI: exit 2).
class AnalysisOptionError : public std::invalid_argument {
public:
    explicit AnalysisOptionError(const QString &what) : std::invalid_argument(what.toStdString()) {}
};

struct AnalysisOption {
    enum class Kind { Integer, Real, Choice, Flag, Text };
    QString name;          // CLI spelling, e.g. "discard-ratio"
    Kind kind = Kind::Real;
    QString defaultValue;  // as typed on the command line ("" for flags = off)
    double minimum = 0;    // Integer and Real, inclusive
    double maximum = 0;
    QStringList choices;   // Choice: the first is the default
    QString description;
};

// The values one run uses: every declared option, defaults filled in, each checked.
class AnalysisOptions {
public:
    AnalysisOptions() = default;
    // Throws AnalysisOptionError for an undeclared name or a bad value.
    AnalysisOptions(const QString &analysis, const std::vector<AnalysisOption> &declared,
                    const std::map<QString, QString> &given);

    int64_t integer(const QString &name) const;
    double real(const QString &name) const;
    QString choice(const QString &name) const;
    bool flag(const QString &name) const;
    QString text(const QString &name) const;

private:
    const QString &value(const QString &name) const;
    std::map<QString, QString> m_values;
};

// What an analysis may read. `record` is always there; analyses that run the model
// (head importance, induction, retrieval, relevance) also need `model` and `input`.
struct AnalysisContext {
    std::shared_ptr<const AttentionRecord> record;
    const Model *model = nullptr;
    ModelInput input;
    // Token ids [T] of another text, encoded as the input was (with its special tokens) or
    // bare, and a token's display text; set where a tokenizer is at hand (context_tokenizer.h)
    // for the analyses that take texts as options or name the tokens they find.
    std::function<torch::Tensor(const QString &text, bool addSpecialTokens)> tokenize;
    std::function<QString(int64_t id)> tokenText;
};

// Named tensors (written to safetensors or as nested JSON lists) and a JSON summary.
struct AnalysisResult {
    std::map<std::string, torch::Tensor> tensors;
    QJsonObject summary;
};

class Analysis {
public:
    virtual ~Analysis() = default;
    virtual QString name() const = 0;        // CLI --method NAME
    virtual QString description() const = 0; // one line citing the paper
    virtual std::vector<AnalysisOption> options() const { return {}; }
    virtual bool needsModel() const { return false; }
    virtual bool needsInput() const { return true; } // false: builds its own inputs (induction)
    // Throws InputError when the attention or the model does not fit the analysis.
    virtual AnalysisResult run(const AnalysisContext &context, const AnalysisOptions &options) const = 0;
};

// Declaration helpers for the analysis files.
AnalysisOption integerOption(const QString &name, int64_t defaultValue, int64_t minimum,
                             int64_t maximum, const QString &description);
AnalysisOption realOption(const QString &name, double defaultValue, double minimum,
                          double maximum, const QString &description);
AnalysisOption choiceOption(const QString &name, const QStringList &choices,
                            const QString &description);
AnalysisOption flagOption(const QString &name, const QString &description);
AnalysisOption textOption(const QString &name, const QString &description); // default ""

} // namespace attnscope
