#pragma once
// One builder per view the page system draws, each in its own file (head_figure.cpp …), and
// the request helpers they share. The registry in figure_request.cpp lists them.

#include <memory>

#include "core/capture/attention_record.h"
#include "viz/figure/figure_request.h"
#include "viz/heatmap_style.h"

namespace attnscope {

std::unique_ptr<FigureContent> headFigure(const FigureRequest &request, const FigureSource &source);
std::unique_ptr<FigureContent> rolloutFigure(const FigureRequest &request, const FigureSource &source);
std::unique_ptr<FigureContent> modelFigure(const FigureRequest &request, const FigureSource &source);
std::unique_ptr<FigureContent> linesFigure(const FigureRequest &request, const FigureSource &source);
std::unique_ptr<FigureContent> tokenFigure(const FigureRequest &request, const FigureSource &source);
std::unique_ptr<FigureContent> neuronFigure(const FigureRequest &request, const FigureSource &source);
std::unique_ptr<FigureContent> graphFigure(const FigureRequest &request, const FigureSource &source);
std::unique_ptr<FigureContent> chartFigure(const FigureRequest &request, const FigureSource &source);
std::unique_ptr<FigureContent> analysisFigure(const FigureRequest &request, const FigureSource &source);

// A per-head score [L, H] (float64) as a layers × heads table with its colour scale.
std::unique_ptr<FigureContent> headTableFigure(const torch::Tensor &values, const QString &title, const QString &label,
                                               const HeatmapStyle &style);

// The request's layer (fallback when −1), checked against the record.
int requestedLayer(const FigureRequest &request, const AttentionRecord &record, int fallback);
int requestedHead(const FigureRequest &request, const AttentionRecord &record, int fallback);
// The request's token (the last one when −1), checked against the record's queries.
int64_t requestedToken(const FigureRequest &request, const AttentionRecord &record);
// The colormap (defaultColormap when unset) and value scale of the request; the range is
// left for the caller.
HeatmapStyle requestedStyle(const FigureRequest &request, const QString &defaultColormap);

} // namespace attnscope
