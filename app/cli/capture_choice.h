#pragma once
// What `attnscope-cli run` writes of the attention, decided before the forward pass from the
// size it will have: dense probabilities while they fit the budget, else the compact capture
// (core/capture/compact_capture.h); --layers/--heads choose the heads written dense, --dense
// forces dense output when the memory available holds it.

#include <vector>

#include <QCommandLineParser>

namespace attnscope::cli {

struct CaptureChoice {
    std::vector<int> layers; // heads written dense ("attentions"); empty = all
    std::vector<int> heads;
    bool writeDense = true;
    bool writeCompact = false;
    int64_t recordBudget = 0; // for the AttentionRecord of the run
    bool subset() const { return !layers.empty() || !heads.empty(); }
};

void addCaptureOptions(QCommandLineParser &parser);

// Throws UsageError for a bad RANGE or a compact capture asked of a format that cannot hold
// it, InputError when the dense heads asked for cannot fit (one line with the size), and says
// on stderr when it falls back to the compact capture.
CaptureChoice chooseCapture(const QCommandLineParser &parser, int layers, int heads, int64_t tokens,
                            const QString &out);

} // namespace attnscope::cli
