#pragma once
// How the studio samples, and what its candidates show: Greedy, or a temperature (slider and
// box, 0.05 … 5), top-k (0 = all), top-p (0.01 … 1) and the seed. Every change redraws the
// step's distribution at once from the saved logits; Generate draws its tokens with them.

#include <QWidget>

#include "core/models/sampling.h"

class QCheckBox;
class QDoubleSpinBox;
class QSlider;
class QSpinBox;

namespace attnscope {

class SamplingPanel : public QWidget {
    Q_OBJECT
public:
    explicit SamplingPanel(QWidget *parent = nullptr);

    SamplingSettings settings() const;
    void setSettings(const SamplingSettings &settings);

Q_SIGNALS:
    void settingsChanged();

private:
    QCheckBox *m_greedy;
    QSlider *m_temperatureSlider;
    QDoubleSpinBox *m_temperature;
    QSpinBox *m_topK;
    QDoubleSpinBox *m_topP;
    QSpinBox *m_seed;
};

} // namespace attnscope
