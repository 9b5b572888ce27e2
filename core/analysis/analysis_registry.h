#pragma once
// Every analysis by name; the CLI help, the GUI menus and the docs read this list.
// Adding an analysis: one file plus one line in analysis_registry.cpp.

#include <memory>
#include <vector>

#include "core/analysis/analysis.h"

namespace attnscope {

const std::vector<std::unique_ptr<Analysis>> &analysisRegistry();
const Analysis *findAnalysis(const QString &name);
QStringList analysisNames();
// Every analysis with its options, for `--help` and the docs.
QString analysisHelpText();

// The factories, one per analysis file.
std::unique_ptr<Analysis> rolloutAnalysis();
std::unique_ptr<Analysis> attentionFlowAnalysis();
std::unique_ptr<Analysis> headStatisticsAnalysis();
std::unique_ptr<Analysis> headDistancesAnalysis();
std::unique_ptr<Analysis> headImportanceAnalysis();
std::unique_ptr<Analysis> inductionScoreAnalysis();
std::unique_ptr<Analysis> retrievalScoreAnalysis();
std::unique_ptr<Analysis> sinkScoreAnalysis();
std::unique_ptr<Analysis> gradientRelevanceAnalysis();
std::unique_ptr<Analysis> wordAggregationAnalysis();
std::unique_ptr<Analysis> attentionGraphTopologyAnalysis();
std::unique_ptr<Analysis> logitLensAnalysis();
std::unique_ptr<Analysis> valueNormsAnalysis();
std::unique_ptr<Analysis> altiAnalysis();
std::unique_ptr<Analysis> directLogitAttributionAnalysis();
std::unique_ptr<Analysis> activationPatchingAnalysis();

} // namespace attnscope
