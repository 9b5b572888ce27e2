// attnscope-cli analyze MODEL_DIR|ATTN.safetensors (--text T | --text-file F) [--text-pair T2]
//     --method NAME [method options] --out OUT.(json|safetensors)
// Runs one analysis of core/analysis on a model's attention (or on attention saved by
// `run` or any framework: see core/capture/attention_file.h). The method's options are
// offered as --name VALUE (app/cli/analysis_run.h); `--help --method NAME` lists them.

#include <QFile>
#include <QJsonDocument>
#include <torch/torch.h>

#include "app/cli/analysis_run.h"
#include "app/cli/command.h"
#include "app/cli/position_check.h"
#include "app/cli/text_input.h"
#include "core/analysis/analysis_registry.h"
#include "core/io/input_error.h"
#include "core/io/safetensors_writer.h"
#include "core/io/tensor_export.h"

namespace attnscope::cli {

namespace {

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
    addPositionOptions(parser);
    parser.addOption({QStringLiteral("method"), QStringLiteral("Analysis to run."), QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("out"), QStringLiteral("Result file, .json or .safetensors."), QStringLiteral("OUT")});
    const bool wantsHelp = arguments.contains(QStringLiteral("--help")) || arguments.contains(QStringLiteral("-h"));
    const Analysis *analysis = methodOf(arguments, !wantsHelp);
    if (analysis)
        addMethodOptions(parser, *analysis);
    if (!parseArguments(parser, arguments, 1, 1))
        return ExitSuccess;
    const QString out = parser.value(QStringLiteral("out"));
    if (!out.endsWith(QLatin1String(".json")) && !out.endsWith(QLatin1String(".safetensors")))
        throw UsageError(QStringLiteral("give --out OUT.json or OUT.safetensors"));
    const AnalysisOptions options = checkedMethodOptions(*analysis, givenMethodOptions(parser, *analysis));
    const AnalysisResult result = runAnalysis(parser, *analysis, options).result;
    writeResult(out, *analysis, result);
    printLine(QJsonDocument(QJsonObject{{QStringLiteral("method"), analysis->name()}, {QStringLiteral("summary"), result.summary}})
                  .toJson(QJsonDocument::Compact));
    return ExitSuccess;
}

} // namespace attnscope::cli
