#pragma once
// One generation step on a page (render --view generation, the studio's Export…): the
// step's candidates as bars, the row that chose its token as the layers × heads grid of
// strips, and the text coloured by that row in one layer and head, under a title naming the
// model, the step and the sampling, each part headed by what it shows; the colorbar is the
// attention weight of the grid and the text.

#include <memory>

#include "core/models/sampling.h"
#include "viz/figure/figure_content.h"
#include "viz/generation_step.h"

namespace attnscope {

struct GenerationFigureData {
    StepPicture picture;
    QString model;                // named in the title (the folder's name)
    SamplingSettings generated;   // what the tokens were drawn with
    int layer = 0;                // the row coloured over the text
    int head = 0;
    HeatmapStyle style;           // its colormap and scale kind; the range is [0, the step's peak]
};

// "stories260K · step 3 of 20 · greedy".
QString generationFigureTitle(const QString &model, const StepPicture &picture, const SamplingSettings &generated);

std::unique_ptr<FigureContent> generationFigure(GenerationFigureData data);

} // namespace attnscope
