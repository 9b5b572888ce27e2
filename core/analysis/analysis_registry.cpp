#include "core/analysis/analysis_registry.h"

namespace attnscope {

namespace {

std::vector<std::unique_ptr<Analysis>> makeRegistry()
{
    std::vector<std::unique_ptr<Analysis>> list;
    list.push_back(rolloutAnalysis());          // rollout.cpp
    list.push_back(attentionFlowAnalysis());    // attention_flow.cpp
    list.push_back(headStatisticsAnalysis());   // head_statistics.cpp
    list.push_back(headDistancesAnalysis());    // head_distances.cpp
    list.push_back(wordAggregationAnalysis());  // word_aggregation.cpp
    list.push_back(inductionScoreAnalysis());   // induction_score.cpp
    list.push_back(sinkScoreAnalysis());        // sink_score.cpp
    list.push_back(retrievalScoreAnalysis());   // retrieval_score.cpp
    list.push_back(headImportanceAnalysis());   // head_importance.cpp
    list.push_back(gradientRelevanceAnalysis()); // gradient_relevance.cpp
    list.push_back(attentionGraphTopologyAnalysis()); // attention_graph_topology.cpp
    list.push_back(logitLensAnalysis());        // logit_lens.cpp
    list.push_back(valueNormsAnalysis());       // value_norms.cpp
    list.push_back(altiAnalysis());             // alti.cpp
    list.push_back(directLogitAttributionAnalysis()); // direct_logit_attribution.cpp
    list.push_back(activationPatchingAnalysis()); // activation_patching.cpp
    return list;
}

QString optionDefaultText(const AnalysisOption &option)
{
    switch (option.kind) {
    case AnalysisOption::Kind::Flag:
        return QStringLiteral("flag");
    case AnalysisOption::Kind::Text:
        return QStringLiteral("text");
    case AnalysisOption::Kind::Choice:
        return option.choices.join(QStringLiteral(" | "));
    case AnalysisOption::Kind::Integer:
    case AnalysisOption::Kind::Real:
        break;
    }
    return QStringLiteral("%1, default %2").arg(option.minimum == 0 && option.maximum == 0
                                                    ? QString()
                                                    : QStringLiteral("%1 … %2").arg(option.minimum).arg(option.maximum),
                                                option.defaultValue);
}

} // namespace

const std::vector<std::unique_ptr<Analysis>> &analysisRegistry()
{
    static const std::vector<std::unique_ptr<Analysis>> list = makeRegistry();
    return list;
}

const Analysis *findAnalysis(const QString &name)
{
    for (const auto &analysis : analysisRegistry())
        if (analysis->name() == name)
            return analysis.get();
    return nullptr;
}

QStringList analysisNames()
{
    QStringList names;
    for (const auto &analysis : analysisRegistry())
        names << analysis->name();
    return names;
}

QString analysisHelpText()
{
    QStringList lines;
    for (const auto &analysis : analysisRegistry()) {
        lines << QStringLiteral("  %1%2 — %3").arg(analysis->name(),
                                                    analysis->needsModel() ? QStringLiteral(" (needs MODEL_DIR)") : QString(),
                                                    analysis->description());
        for (const AnalysisOption &option : analysis->options())
            lines << QStringLiteral("      --%1 (%2): %3").arg(option.name, optionDefaultText(option), option.description);
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace attnscope
