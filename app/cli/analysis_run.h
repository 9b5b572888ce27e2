#pragma once
// One analysis run as `analyze` and `render --view analysis` both do it: the method named by
// --method, its options offered as --name VALUE, and the run on SOURCE (an attention file, or
// a model folder and the text options).

#include <map>
#include <memory>

#include <QCommandLineParser>
#include <QSet>

#include "core/analysis/analysis.h"

namespace attnscope::cli {

// The analysis --method names among the arguments; null when none is named and `required` is
// false. Throws UsageError for an unknown name, or a missing one when required.
const Analysis *methodOf(const QStringList &arguments, bool required);

// Adds the method's options to the parser, leaving out the names in `taken` (options the
// command has already, such as render's --token: the method reads those too).
void addMethodOptions(QCommandLineParser &parser, const Analysis &analysis, const QSet<QString> &taken = {});

// The method's options set on the command line ("true" for a flag), checked against the
// declaration (UsageError for a bad value).
std::map<QString, QString> givenMethodOptions(const QCommandLineParser &parser, const Analysis &analysis);
AnalysisOptions checkedMethodOptions(const Analysis &analysis, const std::map<QString, QString> &given);

struct AnalysisRun {
    std::shared_ptr<const AttentionRecord> record; // what the analysis read
    bool causal = false;                           // a decoder's attention
    AnalysisResult result;
};

// Runs the analysis on SOURCE, the parser's first positional argument, with the text options
// (required when the method reads an input, or when `textRequired`: a figure needs tokens).
// Throws InputError for a source the method cannot use (a method that needs the model, given
// an attention file).
AnalysisRun runAnalysis(const QCommandLineParser &parser, const Analysis &analysis, const AnalysisOptions &options,
                        bool textRequired = false);

} // namespace attnscope::cli
