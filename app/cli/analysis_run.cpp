#include "app/cli/analysis_run.h"

#include <cstdio>

#include <QFileInfo>
#include <torch/torch.h>

#include "app/cli/command.h"
#include "app/cli/position_check.h"
#include "app/cli/text_input.h"
#include "core/analysis/analysis_registry.h"
#include "core/analysis/context_tokenizer.h"
#include "core/capture/attention_file.h"
#include "core/capture/attention_record.h"
#include "core/capture/causal_check.h"
#include "core/capture/encoded_text.h"
#include "core/io/input_error.h"
#include "core/tokenize/tokenizer.h"

namespace attnscope::cli {

const Analysis *methodOf(const QStringList &arguments, bool required)
{
    const int at = arguments.indexOf(QStringLiteral("--method"));
    QString name = at >= 0 ? arguments.value(at + 1) : QString();
    for (const QString &argument : arguments)
        if (argument.startsWith(QLatin1String("--method=")))
            name = argument.mid(9);
    if (name.isEmpty()) {
        if (!required)
            return nullptr;
        throw UsageError(QStringLiteral("give --method NAME, one of: %1").arg(analysisNames().join(QStringLiteral(", "))));
    }
    const Analysis *analysis = findAnalysis(name);
    if (!analysis)
        throw UsageError(QStringLiteral("unknown method '%1'; choose one of: %2").arg(name, analysisNames().join(QStringLiteral(", "))));
    return analysis;
}

void addMethodOptions(QCommandLineParser &parser, const Analysis &analysis, const QSet<QString> &taken)
{
    for (const AnalysisOption &option : analysis.options())
        if (!taken.contains(option.name))
            parser.addOption(option.kind == AnalysisOption::Kind::Flag
                                 ? QCommandLineOption(option.name, option.description)
                                 : QCommandLineOption(option.name, option.description, QStringLiteral("VALUE"), option.defaultValue));
}

std::map<QString, QString> givenMethodOptions(const QCommandLineParser &parser, const Analysis &analysis)
{
    std::map<QString, QString> given;
    for (const AnalysisOption &option : analysis.options())
        if (parser.isSet(option.name))
            given[option.name] = option.kind == AnalysisOption::Kind::Flag ? QStringLiteral("true") : parser.value(option.name);
    return given;
}

AnalysisOptions checkedMethodOptions(const Analysis &analysis, const std::map<QString, QString> &given)
{
    try {
        return AnalysisOptions(analysis.name(), analysis.options(), given);
    } catch (const AnalysisOptionError &error) {
        throw UsageError(QString::fromUtf8(error.what()));
    }
}

AnalysisRun runAnalysis(const QCommandLineParser &parser, const Analysis &analysis, const AnalysisOptions &options,
                        bool textRequired)
{
    const QString source = parser.positionalArguments().first();
    AnalysisContext context;
    AnalysisRun run;
    std::unique_ptr<Model> model;
    if (QFileInfo(source).isFile()) {
        if (analysis.needsModel())
            throw InputError(source, QStringLiteral("method '%1' needs a model folder").arg(analysis.name()));
        const AttentionFile loaded = loadAttentionFile(source);
        for (const QString &warning : loaded.warnings)
            std::fprintf(stderr, "attnscope-cli: warning: %s\n", qPrintable(warning));
        context.record = loaded.record;
        run.causal = hasNoFutureWeight(*loaded.record);
    } else {
        model = loadModel(source);
        context.model = model.get();
        run.causal = model->info().causal;
        const std::optional<QByteArray> text = readText(parser, QStringLiteral("text"), analysis.needsInput() || textRequired);
        auto record = std::make_shared<AttentionRecord>();
        if (text) {
            const std::shared_ptr<const tokenize::Tokenizer> tokenizer = tokenize::loadTokenizer(source);
            const std::optional<QByteArray> pair = readText(parser, QStringLiteral("text-pair"), false);
            const tokenize::Encoding encoding = pair ? tokenizer->encodePair(*text, *pair) : tokenizer->encode(*text);
            checkPositions(parser, source, int64_t(encoding.tokens.size()));
            context.input = modelInputOf(encoding, bool(pair));
            setContextTokenizer(context, tokenizer);
            record->tokens = recordedTokensOf(encoding);
            record->logits = model->forward(context.input, {}, record.get());
        }
        record->modelName = model->info().directory;
        context.record = record;
    }
    run.result = analysis.run(context, options);
    // A result file stands on its own: the ids the model read, whatever the method.
    if (context.input.inputIds.defined() && !run.result.tensors.count("input_ids"))
        run.result.tensors["input_ids"] = context.input.inputIds.to(torch::kInt64);
    run.record = context.record;
    return run;
}

} // namespace attnscope::cli
