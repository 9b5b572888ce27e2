#pragma once
// One step of a generation as the studio and the generation figure draw it: the token the
// step wrote, the most likely candidates of the distribution the settings give
// (samplingDistribution of the step's saved logits: no model run), where the written token
// ranked there, and the row of attention that chose it in every layer and head. Built in
// well under a millisecond for a small vocabulary, so scrubbing builds it on demand.

#include <cstdint>
#include <vector>

#include <QString>
#include <QStringList>

#include "core/models/sampling.h"

namespace attnscope {

struct GenerationSteps;

struct StepCandidate {
    int64_t id = 0;
    QString label;          // display text ("␣cat")
    double probability = 0; // under the shown settings
};

struct StepPicture {
    int step = 0;           // from 0
    int steps = 0;
    int64_t query = 0;      // the position whose row chose the token
    int64_t writtenId = 0;
    QString written;
    std::vector<StepCandidate> candidates; // most likely first
    int64_t chosenRank = 0; // 1 = most likely; 0: the shown settings leave the written token out
    double chosenProbability = 0;
    SamplingSettings shown; // the settings of `candidates`
    int layers = 0;
    int heads = 0;
    std::vector<float> rows; // [layers][heads][keys()]
    QStringList keyLabels;   // the tokens at positions 0 … query
    double peak = 0;         // the largest weight of any row

    int keys() const { return int(keyLabels.size()); }
    const float *row(int layer, int head) const { return rows.data() + (size_t(layer) * heads + head) * keys(); }
};

// Throws std::out_of_range for a step outside the steps, std::invalid_argument for settings
// samplingProblem() refuses.
StepPicture stepPicture(const GenerationSteps &steps, int step, const SamplingSettings &shown, int candidates = 10);

// "step 3 of 20 wrote ␣cat (rank 2, 31.4 %)".
QString stepSummary(const StepPicture &picture);
// "the distribution at τ 0.8 · top-k 40" (the shown settings, greedy or not).
QString distributionCaption(const SamplingSettings &shown);

} // namespace attnscope
