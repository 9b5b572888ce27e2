#include "ui/generation/sampling_panel.h"

#include <cmath>

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>

namespace attnscope {

namespace {

// The slider moves τ on a log scale: as much room below 1 as above.
constexpr double kLeastTemperature = 0.05;
constexpr double kMostTemperature = 5.0;
constexpr int kSliderSteps = 200;

int sliderOf(double temperature)
{
    const double t = std::log(temperature / kLeastTemperature) / std::log(kMostTemperature / kLeastTemperature);
    return int(std::lround(t * kSliderSteps));
}

double temperatureOf(int slider)
{
    return kLeastTemperature * std::pow(kMostTemperature / kLeastTemperature, double(slider) / kSliderSteps);
}

} // namespace

SamplingPanel::SamplingPanel(QWidget *parent) : QWidget(parent)
{
    m_greedy = new QCheckBox(tr("&Greedy"), this);
    m_greedy->setObjectName(QStringLiteral("greedy"));
    m_greedy->setToolTip(tr("Write the most likely token each step; the bars still show the distribution at τ, top-k, top-p"));
    m_greedy->setChecked(true);
    m_temperatureSlider = new QSlider(Qt::Horizontal, this);
    m_temperatureSlider->setRange(0, kSliderSteps);
    m_temperatureSlider->setMinimumWidth(100);
    m_temperature = new QDoubleSpinBox(this);
    m_temperature->setObjectName(QStringLiteral("temperature"));
    m_temperature->setRange(kLeastTemperature, kMostTemperature);
    m_temperature->setDecimals(2);
    m_temperature->setSingleStep(0.05);
    m_temperature->setValue(1.0);
    m_temperature->setToolTip(tr("Temperature τ: the logits are divided by τ before softmax. Below 1 sharper, above 1 flatter"));
    m_temperatureSlider->setValue(sliderOf(1.0));
    m_topK = new QSpinBox(this);
    m_topK->setObjectName(QStringLiteral("topK"));
    m_topK->setRange(0, 1000000);
    m_topK->setSpecialValueText(tr("all"));
    m_topK->setToolTip(tr("Keep the k most likely tokens (all: no limit)"));
    m_topP = new QDoubleSpinBox(this);
    m_topP->setObjectName(QStringLiteral("topP"));
    m_topP->setRange(0.01, 1.0);
    m_topP->setDecimals(2);
    m_topP->setSingleStep(0.05);
    m_topP->setValue(1.0);
    m_topP->setToolTip(tr("Keep the fewest most likely tokens whose probabilities reach p"));
    m_seed = new QSpinBox(this);
    m_seed->setObjectName(QStringLiteral("seed"));
    m_seed->setRange(0, 1000000000);
    m_seed->setToolTip(tr("Seed of the draws: the same seed writes the same tokens"));

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_greedy);
    const auto labelled = [&](const QString &text, QWidget *field) {
        auto *label = new QLabel(text, this);
        label->setBuddy(field);
        layout->addWidget(label);
        layout->addWidget(field);
    };
    labelled(tr("&τ"), m_temperatureSlider);
    layout->addWidget(m_temperature);
    labelled(tr("top-&k"), m_topK);
    labelled(tr("top-&p"), m_topP);
    labelled(tr("s&eed"), m_seed);

    connect(m_temperatureSlider, &QSlider::valueChanged, this, [this](int value) {
        const QSignalBlocker block(m_temperature);
        m_temperature->setValue(temperatureOf(value));
        Q_EMIT settingsChanged();
    });
    connect(m_temperature, &QDoubleSpinBox::valueChanged, this, [this](double value) {
        const QSignalBlocker block(m_temperatureSlider);
        m_temperatureSlider->setValue(sliderOf(value));
        Q_EMIT settingsChanged();
    });
    connect(m_topK, &QSpinBox::valueChanged, this, &SamplingPanel::settingsChanged);
    connect(m_topP, &QDoubleSpinBox::valueChanged, this, &SamplingPanel::settingsChanged);
    connect(m_seed, &QSpinBox::valueChanged, this, &SamplingPanel::settingsChanged);
    connect(m_greedy, &QCheckBox::toggled, this, &SamplingPanel::settingsChanged);
}

SamplingSettings SamplingPanel::settings() const
{
    SamplingSettings settings;
    settings.greedy = m_greedy->isChecked();
    settings.temperature = m_temperature->value();
    settings.topK = m_topK->value();
    settings.topP = m_topP->value();
    settings.seed = uint64_t(m_seed->value());
    return settings;
}

void SamplingPanel::setSettings(const SamplingSettings &settings)
{
    {
        const QSignalBlocker blockers[] = {QSignalBlocker(m_greedy), QSignalBlocker(m_temperature),
                                           QSignalBlocker(m_temperatureSlider), QSignalBlocker(m_topK),
                                           QSignalBlocker(m_topP), QSignalBlocker(m_seed)};
        m_greedy->setChecked(settings.greedy);
        m_temperature->setValue(settings.temperature);
        m_temperatureSlider->setValue(sliderOf(m_temperature->value()));
        m_topK->setValue(int(settings.topK));
        m_topP->setValue(settings.topP);
        m_seed->setValue(int(settings.seed));
    }
    Q_EMIT settingsChanged();
}

} // namespace attnscope
