#include "core/attention/variant_registry.h"

namespace attnscope {

// One line per variant; each function lives in the file named after it, core/attention/<file>.cpp.
#define ATTNSCOPE_FOR_EACH_VARIANT(X)                                                        \
    X(softmaxVariant)    /* softmax.cpp */                                                 \
    X(topkVariant)       /* topk.cpp */                                                    \
    X(toppVariant)       /* topp.cpp */                                                    \
    X(thresholdVariant)  /* threshold.cpp */                                               \
    X(windowVariant)     /* window.cpp */                                                  \
    X(sinksVariant)      /* sinks.cpp */                                                   \
    X(dilatedVariant)    /* dilated.cpp */                                                 \
    X(stridedVariant)    /* strided.cpp */                                                 \
    X(powerVariant)      /* power.cpp */                                                   \
    X(lsgVariant)        /* lsg.cpp */                                                     \
    X(mobaVariant)       /* moba.cpp */                                                    \
    X(lokiVariant)       /* loki.cpp */                                                    \
    X(chunkedVariant)    /* chunked.cpp */                                                 \
    X(sparsemaxVariant)  /* sparsemax.cpp */                                               \
    X(entmaxVariant)     /* entmax.cpp */                                                  \
    X(sigmoidVariant)    /* sigmoid.cpp */                                                 \
    X(reluVariant)       /* relu.cpp */                                                    \
    X(linearVariant)     /* linear.cpp */                                                  \
    X(performerVariant)  /* performer.cpp */                                               \
    X(ablateVariant)     /* ablate.cpp */                                                  \
    X(steerVariant)      /* steer.cpp */                                                   \
    X(nosinkVariant)     /* nosink.cpp */                                                  \
    X(diffVariant)       /* diff.cpp */

#define ATTNSCOPE_DECLARE_VARIANT(function) VariantInfo function();
ATTNSCOPE_FOR_EACH_VARIANT(ATTNSCOPE_DECLARE_VARIANT)
#undef ATTNSCOPE_DECLARE_VARIANT

const std::vector<VariantInfo> &variantRegistry()
{
#define ATTNSCOPE_LIST_VARIANT(function) function(),
    static const std::vector<VariantInfo> list = {ATTNSCOPE_FOR_EACH_VARIANT(ATTNSCOPE_LIST_VARIANT)};
#undef ATTNSCOPE_LIST_VARIANT
    return list;
}

const VariantInfo *findVariant(const QString &name)
{
    for (const VariantInfo &info : variantRegistry())
        if (info.name == name)
            return &info;
    return nullptr;
}

QStringList variantNames()
{
    QStringList names;
    for (const VariantInfo &info : variantRegistry())
        names << info.name;
    return names;
}

QString variantHelpText()
{
    QString text = QStringLiteral("Variant SPEC: name[:key=value,…][@layers=RANGE][@heads=RANGE], "
                                  "RANGE like 0-3,5\n");
    for (const VariantInfo &info : variantRegistry()) {
        text += QStringLiteral("\n  %1  %2\n").arg(info.name, info.summary);
        for (const VariantParameter &parameter : info.parameters)
            text += QStringLiteral("      %1=%2  (%3)  %4\n")
                        .arg(parameter.name, parameter.defaultValue, parameter.rangeText(),
                             parameter.description);
    }
    return text;
}

VariantParameter integerParameter(const QString &name, int64_t defaultValue, int64_t minimum,
                                  int64_t maximum, const QString &description)
{
    return {name, VariantParameter::Kind::Integer, QString::number(defaultValue),
            double(minimum), double(maximum), {}, description};
}

VariantParameter realParameter(const QString &name, double defaultValue, double minimum,
                               double maximum, const QString &description)
{
    return {name, VariantParameter::Kind::Real, QString::number(defaultValue, 'g', 10),
            minimum, maximum, {}, description};
}

VariantParameter choiceParameter(const QString &name, const QStringList &choices,
                                 const QString &description)
{
    return {name, VariantParameter::Kind::Choice, choices.value(0), 0, 0, choices, description};
}

VariantParameter indicesParameter(const QString &name, const QString &defaultValue,
                                  const QString &description)
{
    return {name, VariantParameter::Kind::Indices, defaultValue, 0, 0, {}, description};
}

} // namespace attnscope
