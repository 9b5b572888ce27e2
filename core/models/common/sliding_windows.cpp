#include "core/models/common/sliding_windows.h"

#include <QJsonArray>

#include "core/io/model_config.h"

namespace attnscope {

std::vector<int64_t> layerWindows(const ModelConfig &config, int64_t layers, int64_t window,
                                  const std::function<bool(int64_t layer)> &slidingByDefault)
{
    std::vector<int64_t> windows(size_t(layers), 0);
    if (window <= 0)
        return windows;
    const QJsonArray types = config.json().value(QStringLiteral("layer_types")).toArray();
    for (int64_t i = 0; i < layers; ++i) {
        bool sliding = slidingByDefault(i);
        if (types.size() == layers) {
            const QString type = types.at(int(i)).toString();
            if (type != QLatin1String("sliding_attention") && type != QLatin1String("full_attention"))
                config.fail(QStringLiteral("layer_types[%1] '%2' is not supported (supported: sliding_attention, full_attention)")
                                .arg(i).arg(type));
            sliding = type == QLatin1String("sliding_attention");
        }
        windows[size_t(i)] = sliding ? window : 0;
    }
    return windows;
}

} // namespace attnscope
