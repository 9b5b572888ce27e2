#pragma once
// What AnalysisResultView's two files share: the widgets and the result on show.

#include <QChartView>
#include <QComboBox>
#include <QLabel>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableWidget>
#include <torch/types.h>

#include "core/analysis/analysis.h"
#include "ui/panels/analysis_result_view.h"
#include "viz/analysis_pictures.h"

namespace attnscope {

class HeadView;
class TilePyramid;
class TokenGridView;

struct AnalysisResultView::Private {
    QComboBox *score = nullptr;
    QSpinBox *layerPick = nullptr;
    QSpinBox *headPick = nullptr;
    QSpinBox *positionPick = nullptr;
    QStackedWidget *side = nullptr; // the table or the map, left of the chart
    QSplitter *split = nullptr;
    QTableWidget *table = nullptr;
    HeadView *map = nullptr;
    TokenGridView *grid = nullptr;
    QScrollArea *gridScroll = nullptr;
    QChartView *chartView = nullptr;
    QLabel *text = nullptr;

    std::shared_ptr<const AnalysisResult> result;
    QString shownMethod;
    QString shownScore;
    bool badgesShown = false;
    RecordShape shape;
    QStringList tokens;
    bool causal = false;
    std::shared_ptr<TilePyramid> pyramid;
    torch::Tensor slice; // the matrix on the map
    QStringList rowLabels;
    QStringList columnLabels;
    int row = -1;

    const torch::Tensor &shownTensor() const { return result->tensors.at(shownScore.toStdString()); }
    bool labelsAreTokens(const QStringList &labels) const
    {
        return labels.size() == shape.tokens || result->summary.contains(QStringLiteral("words"));
    }
};

} // namespace attnscope
