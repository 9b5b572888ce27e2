#include "app/cli/capture_choice.h"

#include <cstdio>
#include <limits>

#include <QFile>
#include <QFileInfo>
#include <unistd.h>

#include "app/cli/command.h"
#include "core/attention/variant_parameters.h"
#include "core/capture/attention_record.h"
#include "core/io/input_error.h"

namespace attnscope::cli {

namespace {

QString bytesText(double bytes)
{
    return bytes >= double(1 << 30) ? QStringLiteral("%1 GiB").arg(bytes / double(1 << 30), 0, 'f', 1)
                                    : QStringLiteral("%1 MiB").arg(bytes / double(1 << 20), 0, 'f', 0);
}

// What the kernel would let us allocate now: MemAvailable on Linux, free pages elsewhere.
double availableMemoryBytes()
{
    QFile meminfo(QStringLiteral("/proc/meminfo"));
    if (meminfo.open(QIODevice::ReadOnly))
        for (const QByteArray &line : meminfo.readAll().split('\n'))
            if (line.startsWith("MemAvailable:"))
                return line.mid(13).trimmed().split(' ').first().toDouble() * 1024;
    return double(sysconf(_SC_AVPHYS_PAGES)) * double(sysconf(_SC_PAGESIZE));
}

std::vector<int> indexOption(const QCommandLineParser &parser, const QString &name, int count)
{
    if (!parser.isSet(name))
        return {};
    std::vector<int> indices;
    try {
        indices = parseIndexList(parser.value(name), QStringLiteral("--%1").arg(name));
    } catch (const VariantSpecError &error) {
        throw UsageError(QString::fromUtf8(error.what()));
    }
    if (!indices.empty() && indices.back() >= count)
        throw UsageError(QStringLiteral("--%1 %2: the model has %3 %1").arg(name, parser.value(name)).arg(count));
    return indices;
}

QString probabilitiesText(int64_t layers, int64_t heads, int64_t tokens)
{
    return QStringLiteral("%1 layers × %2 heads × %3 × %3 probabilities").arg(layers).arg(heads).arg(tokens);
}

} // namespace

void addCaptureOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        {QStringLiteral("layers"), QStringLiteral("Write the attention of these layers dense (e.g. 0-3,5)."), QStringLiteral("RANGE")},
        {QStringLiteral("heads"), QStringLiteral("Write the attention of these heads dense (e.g. 0,2)."), QStringLiteral("RANGE")},
        {QStringLiteral("dense"), QStringLiteral("Write dense attention even beyond the 1 GiB budget (fails when memory "
                                                 "cannot hold it); long inputs otherwise get the compact capture.")},
    });
}

CaptureChoice chooseCapture(const QCommandLineParser &parser, int layers, int heads, int64_t tokens, const QString &out)
{
    CaptureChoice choice;
    choice.layers = indexOption(parser, QStringLiteral("layers"), layers);
    choice.heads = indexOption(parser, QStringLiteral("heads"), heads);
    const bool forced = parser.isSet(QStringLiteral("dense"));
    const int64_t budget = AttentionRecord::kDefaultDenseBudgetBytes;
    const int64_t chosenLayers = choice.layers.empty() ? layers : int64_t(choice.layers.size());
    const int64_t chosenHeads = choice.heads.empty() ? heads : int64_t(choice.heads.size());
    const double allBytes = double(layers) * double(heads) * double(tokens) * double(tokens) * sizeof(float);
    const double chosenBytes = double(chosenLayers) * double(chosenHeads) * double(tokens) * double(tokens) * sizeof(float);
    const bool fits = allBytes <= double(budget);

    choice.recordBudget = forced && !choice.subset() ? std::numeric_limits<int64_t>::max() : budget;
    choice.writeCompact = !fits && !forced;
    choice.writeDense = forced || fits || choice.subset();
    if (forced && chosenBytes > availableMemoryBytes())
        throw InputError(QStringLiteral("--dense"),
                         QStringLiteral("%1 need %2 but only %3 of memory is available; leave out --dense for the "
                                        "compact capture, or choose heads with --layers/--heads")
                             .arg(probabilitiesText(chosenLayers, chosenHeads, tokens), bytesText(chosenBytes),
                                  bytesText(availableMemoryBytes())));
    if (!forced && choice.subset() && chosenBytes > double(budget))
        throw InputError(QStringLiteral("--layers/--heads"),
                         QStringLiteral("%1 need %2, over the %3 budget; choose fewer heads, or force them with --dense")
                             .arg(probabilitiesText(chosenLayers, chosenHeads, tokens), bytesText(chosenBytes),
                                  bytesText(double(budget))));
    if (choice.writeCompact && QFileInfo(out).suffix().toLower() != QLatin1String("safetensors"))
        throw UsageError(QStringLiteral("%1 (%2) exceed the %3 budget: their compact capture is written as "
                                        ".safetensors only (or force dense output with --dense)")
                             .arg(probabilitiesText(layers, heads, tokens), bytesText(allBytes), bytesText(double(budget))));
    if (choice.writeCompact)
        std::fprintf(stderr, "attnscope-cli: %s (%s) exceed the %s budget: writing the compact capture (q, k and row "
                             "normalizers per layer; any head is recomputed exactly)%s\n",
                     qPrintable(probabilitiesText(layers, heads, tokens)), qPrintable(bytesText(allBytes)),
                     qPrintable(bytesText(double(budget))),
                     choice.subset() ? " with the chosen heads dense" : "; --layers/--heads choose heads to write dense");
    return choice;
}

} // namespace attnscope::cli
