// AnalysisResultView's pictures (viz/analysis_pictures.h says which one a tensor gets): the
// per-head table and its chart, the matrix map with its row's bars, the logit lens' grid,
// bars over the tokens, the heads' map and the pruning curve.

#include <algorithm>

#include <QHeaderView>
#include <QScrollBar>
#include <torch/torch.h>

#include "ui/panels/analysis_charts.h"
#include "ui/panels/analysis_result_view_private.h"
#include "ui/panels/token_grid_view.h"
#include "ui/views/head_table.h"
#include "ui/views/head_view.h"
#include "viz/tile_pyramid.h"

namespace attnscope {

namespace {

// The head statistics that say where attention goes (the rest are entropies and distances).
const QStringList kTokenRoles = {QStringLiteral("to_cls"), QStringLiteral("to_separator"),
                                 QStringLiteral("to_punctuation"), QStringLiteral("self"),
                                 QStringLiteral("previous"), QStringLiteral("next")};

} // namespace

void AnalysisResultView::drawHeadScores()
{
    if (!d->result || pictureKind(d->shownScore.toStdString(), d->shownTensor(), d->shape) != PictureKind::HeadScores)
        return;
    const torch::Tensor tensor = d->shownTensor().dim() == 3 ? d->shownTensor().select(2, d->positionPick->value())
                                                             : d->shownTensor();
    const HeadValues values = toHeadValues(tensor);
    fillHeadTable(d->table, values, tensor.is_floating_point() ? 3 : 0);
    d->side->setCurrentWidget(d->table);
    d->side->show();
    // The whole table when it fits in two thirds of the width; the chart takes the rest.
    const int tableWidth = d->table->verticalHeader()->sizeHint().width() + d->table->horizontalHeader()->length()
                           + 2 * d->table->frameWidth() + 2;
    const int total = d->split->width();
    if (tableWidth < 2 * total / 3)
        d->split->setSizes({tableWidth, total - tableWidth});
    const QString label = valueLabel(d->shownMethod, d->shownScore);
    if (kTokenRoles.contains(d->shownScore) && d->result->tensors.count("to_cls")) {
        std::vector<NamedLayerValues> roles;
        for (const QString &role : kTokenRoles)
            if (const auto found = d->result->tensors.find(role.toStdString()); found != d->result->tensors.end())
                roles.push_back({role, toVector(found->second.to(torch::kFloat64).mean(1))});
        setChart(tokenRoleChart(roles));
    } else {
        setChart(perLayerChart(values, label));
    }
    d->badgesShown = true;
    Q_EMIT scoreShown(QStringLiteral("%1: %2").arg(d->shownMethod, label), values);
}

void AnalysisResultView::drawMatrix()
{
    if (!d->result || d->shownScore.isEmpty())
        return;
    const torch::Tensor &tensor = d->shownTensor();
    if (pictureKind(d->shownScore.toStdString(), tensor, d->shape) != PictureKind::Matrix)
        return;
    const int64_t first = tensor.dim() == 3 ? d->layerPick->value() - sliceLayerOffset(tensor, d->shape) : d->layerPick->value();
    d->slice = matrixSlice(tensor, first, d->headPick->value());
    const int64_t rows = d->slice.size(0), cols = d->slice.size(1);
    d->rowLabels = entryLabels(rows, *d->result, d->tokens, d->shape);
    d->columnLabels = entryLabels(cols, *d->result, d->tokens, d->shape);
    PyramidOptions options;
    // Token × token results of a decoder are zero above the diagonal: shown as masked.
    if (d->causal && rows == cols && d->labelsAreTokens(d->rowLabels))
        options.mask = CellMask::causal(rows, cols);
    d->pyramid = std::make_shared<TilePyramid>(denseTileSource(d->slice), rows, cols, options);
    d->map->setValueName(valueLabel(d->shownMethod, d->shownScore));
    d->map->setHead(d->pyramid, d->rowLabels, d->columnLabels);
    if (d->side->currentWidget() != d->map || d->side->isHidden())
        d->split->setSizes({d->split->width() / 2, d->split->width() / 2}); // a table may have narrowed it
    d->side->setCurrentWidget(d->map);
    d->side->show();
    if (d->row < 0 || d->row >= rows)
        d->row = int(rows) - 1; // the last token: what a decoder predicts from
    drawRowBars();
}

void AnalysisResultView::drawTokenGrid()
{
    const TokenGrid grid = logitLensGrid(*d->result);
    d->rowLabels = grid.rowLabels;
    d->grid->setGrid(grid.texts, grid.probabilities, grid.rowLabels, d->tokens);
    d->side->setCurrentWidget(d->gridScroll);
    d->side->show();
    d->gridScroll->horizontalScrollBar()->setValue(d->gridScroll->horizontalScrollBar()->maximum()); // the last position
    d->split->setSizes({2 * d->split->width() / 3, d->split->width() / 3});
    drawGridCell(d->grid->rows() - 1, int(d->tokens.size()) - 1);
}

// The top-k of a grid cell as bars.
void AnalysisResultView::drawGridCell(int row, int column)
{
    const TokenGrid cell = logitLensCell(*d->result, row, column);
    d->grid->setSelectedCell(row, column);
    setChart(barChart(cell.probabilities[0], cell.texts[0],
                      tr("top tokens %1 at “%2”").arg(d->rowLabels.value(row), d->tokens.value(column).toHtmlEscaped()),
                      tr("probability")));
}

void AnalysisResultView::drawRowBars()
{
    const std::vector<double> values = toVector(d->slice[d->row]);
    const QString label = valueLabel(d->shownMethod, d->shownScore);
    setChart(barChart(values, d->columnLabels,
                      tr("%1 of row %2 “%3”").arg(label).arg(d->row).arg(d->rowLabels.value(d->row).toHtmlEscaped()), label));
    d->map->setSelectedCell(d->row, d->slice[d->row].argmax().item<int64_t>());
    showColoredText(values, d->columnLabels);
}

void AnalysisResultView::drawBars()
{
    const std::vector<double> values = toVector(d->shownTensor());
    const QStringList labels = entryLabels(int64_t(values.size()), *d->result, d->tokens, d->shape);
    // Flow and relevance follow one output token: the title names it.
    const QJsonObject &summary = d->result->summary;
    const QJsonValue output = summary.contains(QStringLiteral("token")) ? summary.value(QStringLiteral("token"))
                                                                         : summary.value(QStringLiteral("explained_row"));
    const QString label = valueLabel(d->shownMethod, d->shownScore);
    QString title = label;
    if (output.isDouble() && int64_t(values.size()) == d->shape.tokens)
        title = tr("%1 for output %2 “%3”").arg(label).arg(output.toInt()).arg(d->tokens.value(output.toInt()).toHtmlEscaped());
    d->side->hide();
    setChart(barChart(values, labels, title, label));
    showColoredText(values, labels);
}

void AnalysisResultView::drawHeadMap()
{
    const HeadValues points = toHeadValues(d->shownTensor());
    std::vector<QPointF> map;
    for (const std::vector<double> &point : points)
        map.emplace_back(point[0], point[1]);
    d->side->hide();
    setChart(headMapChart(map, int(d->shape.heads), [this](int layer, int head) { Q_EMIT headChosen(layer, head); }));
}

void AnalysisResultView::drawPruningCurve()
{
    std::vector<std::array<double, 3>> rows;
    for (const std::vector<double> &step : toHeadValues(d->shownTensor()))
        rows.push_back({step[0], step[1], step.size() > 2 ? step[2] : 0.0});
    d->side->hide();
    setChart(pruningChart(rows));
}

void AnalysisResultView::showColoredText(const std::vector<double> &values, const QStringList &labels)
{
    if (!d->labelsAreTokens(labels) || values.empty())
        return;
    d->text->setText(coloredTokensHtml(values, labels));
    d->text->show();
}

} // namespace attnscope
