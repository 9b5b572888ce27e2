// attnscope-cli analyze MODEL_DIR|ATTN.safetensors (--text T | --text-file F) [--text-pair T2]
//     --method NAME [method options] --out OUT.(json|safetensors)
// Runs one analysis of core/analysis on a model's attention (or on attention saved by
// `run` or any framework: see core/capture/attention_file.h). The method's options are offered as --name VALUE; `--help --method NAME` lists them.

#include <cstdio>

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <torch/torch.h>

#include "app/cli/command.h"
#include "app/cli/text_input.h"
#include "core/analysis/analysis_registry.h"
#include "core/analysis/context_tokenizer.h"
#include "core/capture/attention_file.h"
#include "core/capture/attention_record.h"
#include "core/capture/encoded_text.h"
#include "core/io/input_error.h"
#include "core/io/safetensors_writer.h"
#include "core/io/tensor_export.h"
#include "core/tokenize/tokenizer.h"

namespace attnscope::cli {

namespace {

const Analysis &methodOf(const QStringList &arguments)
{
    const int at = arguments.indexOf(QStringLiteral("--method"));
    QString name = at >= 0 ? arguments.value(at + 1) : QString();
    for (const QString &argument : arguments)
        if (argument.startsWith(QLatin1String("--method=")))
            name = argument.mid(9);
    if (name.isEmpty())
        throw UsageError(QStringLiteral("give --method NAME, one of: %1").arg(analysisNames().join(QStringLiteral(", "))));
    const Analysis *analysis = findAnalysis(name);
    if (!analysis)
        throw UsageError(QStringLiteral("unknown method '%1'; choose one of: %2").arg(name, analysisNames().join(QStringLiteral(", "))));
    return *analysis;
}

// .safetensors: the tensors, with the method and summary in the metadata; .json: the method,
// the summary and the tensors as nested lists.
void writeResult(const QString &path, const Analysis &analysis, const AnalysisResult &result)
{
    if (path.endsWith(QLatin1String(".safetensors"))) {
        NamedTensors tensors;
        for (const auto &[name, tensor] : result.tensors)
            tensors.emplace_back(name, tensor.detach().contiguous());
        writeSafetensors(path, tensors, {{QStringLiteral("method"), analysis.name()},
                                         {QStringLiteral("summary"), QString::fromUtf8(QJsonDocument(result.summary).toJson(QJsonDocument::Compact))}});
        return;
    }
    NamedTensors tensors(result.tensors.begin(), result.tensors.end());
    const QJsonObject json{{QStringLiteral("method"), analysis.name()},
                           {QStringLiteral("summary"), result.summary},
                           {QStringLiteral("tensors"), tensorsToJson(tensors)}};
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(QJsonDocument(json).toJson(QJsonDocument::Compact)) < 0)
        throw InputError(path, QStringLiteral("cannot write: %1").arg(file.errorString()));
}

} // namespace

int runAnalyze(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Runs one attention analysis and writes its tensors.\n\nMethods:\n")
                                     + analysisHelpText());
    parser.addPositionalArgument(QStringLiteral("SOURCE"), QStringLiteral("model folder, or attention .safetensors from `run`"));
    addTextOptions(parser);
    parser.addOption({QStringLiteral("method"), QStringLiteral("Analysis to run."), QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("out"), QStringLiteral("Result file, .json or .safetensors."), QStringLiteral("OUT")});
    const bool wantsHelp = arguments.contains(QStringLiteral("--help")) || arguments.contains(QStringLiteral("-h"));
    const Analysis *analysis = wantsHelp && !arguments.contains(QStringLiteral("--method")) ? nullptr : &methodOf(arguments);
    if (analysis)
        for (const AnalysisOption &option : analysis->options())
            parser.addOption(option.kind == AnalysisOption::Kind::Flag
                                 ? QCommandLineOption(option.name, option.description)
                                 : QCommandLineOption(option.name, option.description, QStringLiteral("VALUE"), option.defaultValue));
    if (!parseArguments(parser, arguments, 1, 1))
        return ExitSuccess;
    const QString out = parser.value(QStringLiteral("out"));
    if (!out.endsWith(QLatin1String(".json")) && !out.endsWith(QLatin1String(".safetensors")))
        throw UsageError(QStringLiteral("give --out OUT.json or OUT.safetensors"));
    std::map<QString, QString> given;
    for (const AnalysisOption &option : analysis->options())
        if (parser.isSet(option.name))
            given[option.name] = option.kind == AnalysisOption::Kind::Flag ? QStringLiteral("true") : parser.value(option.name);
    AnalysisOptions options;
    try {
        options = AnalysisOptions(analysis->name(), analysis->options(), given);
    } catch (const AnalysisOptionError &error) {
        throw UsageError(QString::fromUtf8(error.what()));
    }

    const QString source = parser.positionalArguments().first();
    AnalysisContext context;
    std::unique_ptr<Model> model;
    if (QFileInfo(source).isFile()) {
        if (analysis->needsModel())
            throw InputError(source, QStringLiteral("method '%1' needs a model folder").arg(analysis->name()));
        const AttentionFile loaded = loadAttentionFile(source);
        for (const QString &warning : loaded.warnings)
            std::fprintf(stderr, "attnscope-cli: warning: %s\n", qPrintable(warning));
        context.record = loaded.record;
    } else {
        model = loadModel(source);
        context.model = model.get();
        const std::optional<QByteArray> text = readText(parser, QStringLiteral("text"), analysis->needsInput());
        auto record = std::make_shared<AttentionRecord>();
        if (text) {
            const std::shared_ptr<const tokenize::Tokenizer> tokenizer = tokenize::loadTokenizer(source);
            const std::optional<QByteArray> pair = readText(parser, QStringLiteral("text-pair"), false);
            const tokenize::Encoding encoding = pair ? tokenizer->encodePair(*text, *pair) : tokenizer->encode(*text);
            context.input = modelInputOf(encoding, bool(pair));
            setContextTokenizer(context, tokenizer);
            record->tokens = recordedTokensOf(encoding);
            record->logits = model->forward(context.input, {}, record.get());
        }
        record->modelName = model->info().directory;
        context.record = record;
    }
    const AnalysisResult result = analysis->run(context, options);
    writeResult(out, *analysis, result);
    printLine(QJsonDocument(QJsonObject{{QStringLiteral("method"), analysis->name()}, {QStringLiteral("summary"), result.summary}})
                  .toJson(QJsonDocument::Compact));
    return ExitSuccess;
}

} // namespace attnscope::cli
