#include "ui/panels/variant_picker.h"

#include <cmath>

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QVBoxLayout>

#include "core/attention/variant_registry.h"
#include "core/attention/variant_spec.h"

namespace attnscope {

namespace {

QWidget *editorFor(const VariantParameter &parameter, QWidget *parent)
{
    switch (parameter.kind) {
    case VariantParameter::Kind::Integer: {
        auto *box = new QSpinBox(parent);
        box->setRange(int(std::max(parameter.minimum, double(INT_MIN))), int(std::min(parameter.maximum, double(INT_MAX))));
        box->setValue(parameter.defaultValue.toInt());
        return box;
    }
    case VariantParameter::Kind::Real: {
        auto *box = new QDoubleSpinBox(parent);
        box->setDecimals(4);
        box->setRange(parameter.minimum, parameter.maximum);
        box->setValue(parameter.defaultValue.toDouble());
        return box;
    }
    case VariantParameter::Kind::Choice: {
        auto *box = new QComboBox(parent);
        box->addItems(parameter.choices);
        box->setCurrentText(parameter.defaultValue);
        return box;
    }
    case VariantParameter::Kind::Indices:
        break;
    }
    auto *line = new QLineEdit(parameter.defaultValue, parent);
    line->setPlaceholderText(parameter.rangeText());
    return line;
}

QString valueOf(const QWidget *editor)
{
    if (const auto *box = qobject_cast<const QSpinBox *>(editor))
        return QString::number(box->value());
    if (const auto *box = qobject_cast<const QDoubleSpinBox *>(editor))
        return QString::number(box->value(), 'g', 10);
    if (const auto *box = qobject_cast<const QComboBox *>(editor))
        return box->currentText();
    return qobject_cast<const QLineEdit *>(editor)->text();
}

} // namespace

VariantPicker::VariantPicker(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_variant = new QComboBox(this);
    m_variant->setObjectName(QStringLiteral("variant"));
    for (const VariantInfo &info : variantRegistry()) {
        m_variant->addItem(info.name);
        m_variant->setItemData(m_variant->count() - 1, info.summary, Qt::ToolTipRole);
    }
    layout->addWidget(m_variant);
    m_parameters = new QFormLayout;
    layout->addLayout(m_parameters);
    auto *scope = new QFormLayout;
    m_layers = new QLineEdit(this);
    m_layers->setPlaceholderText(tr("all, or e.g. 0-3,7"));
    m_heads = new QLineEdit(this);
    m_heads->setPlaceholderText(tr("all, or e.g. 1,5"));
    scope->addRow(tr("Layers"), m_layers);
    scope->addRow(tr("Heads"), m_heads);
    layout->addLayout(scope);
    m_spec = new QLabel(this);
    m_spec->setObjectName(QStringLiteral("spec"));
    m_spec->setWordWrap(true);
    m_spec->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_spec);

    connect(m_variant, &QComboBox::currentTextChanged, this, &VariantPicker::rebuildParameters);
    connect(m_layers, &QLineEdit::textChanged, this, &VariantPicker::updateSpec);
    connect(m_heads, &QLineEdit::textChanged, this, &VariantPicker::updateSpec);
    rebuildParameters();
}

void VariantPicker::chooseVariant(const QString &name)
{
    m_variant->setCurrentText(name);
}

void VariantPicker::setParameter(const QString &name, const QString &value)
{
    for (const auto &[parameter, editor] : m_editors) {
        if (parameter != name)
            continue;
        if (auto *box = qobject_cast<QSpinBox *>(editor))
            box->setValue(value.toInt());
        else if (auto *box = qobject_cast<QDoubleSpinBox *>(editor))
            box->setValue(value.toDouble());
        else if (auto *box = qobject_cast<QComboBox *>(editor))
            box->setCurrentText(value);
        else
            qobject_cast<QLineEdit *>(editor)->setText(value);
    }
}

void VariantPicker::setScope(const QString &layers, const QString &heads)
{
    m_layers->setText(layers);
    m_heads->setText(heads);
}

void VariantPicker::setSpec(const QString &spec)
{
    // name[:key=value,…][@layers=RANGE][@heads=RANGE]
    const QStringList parts = spec.split(QLatin1Char('@'));
    const QString head = parts.value(0);
    chooseVariant(head.section(QLatin1Char(':'), 0, 0));
    const QString parameters = head.section(QLatin1Char(':'), 1);
    for (const QString &assignment : parameters.split(QLatin1Char(','), Qt::SkipEmptyParts))
        setParameter(assignment.section(QLatin1Char('='), 0, 0), assignment.section(QLatin1Char('='), 1));
    QString layers, heads;
    for (const QString &scope : parts.mid(1)) {
        if (scope.startsWith(QLatin1String("layers=")))
            layers = scope.mid(7);
        else if (scope.startsWith(QLatin1String("heads=")))
            heads = scope.mid(6);
    }
    setScope(layers, heads);
}

QString VariantPicker::spec() const
{
    QStringList values;
    const VariantInfo *info = findVariant(m_variant->currentText());
    for (const auto &[name, editor] : m_editors) {
        const QString value = valueOf(editor);
        const auto declared = std::find_if(info->parameters.begin(), info->parameters.end(),
                                           [&](const VariantParameter &p) { return p.name == name; });
        if (declared == info->parameters.end() || value != declared->defaultValue)
            values << name + QLatin1Char('=') + value;
    }
    QString spec = m_variant->currentText();
    if (!values.isEmpty())
        spec += QLatin1Char(':') + values.join(QLatin1Char(','));
    if (!m_layers->text().trimmed().isEmpty())
        spec += QStringLiteral("@layers=") + m_layers->text().trimmed();
    if (!m_heads->text().trimmed().isEmpty())
        spec += QStringLiteral("@heads=") + m_heads->text().trimmed();
    return spec;
}

bool VariantPicker::isValid() const { return m_problem.isEmpty(); }
QString VariantPicker::problem() const { return m_problem; }

void VariantPicker::rebuildParameters()
{
    while (m_parameters->rowCount() > 0)
        m_parameters->removeRow(0);
    m_editors.clear();
    const VariantInfo *info = findVariant(m_variant->currentText());
    if (!info)
        return;
    m_variant->setToolTip(info->summary);
    for (const VariantParameter &parameter : info->parameters) {
        QWidget *editor = editorFor(parameter, this);
        editor->setObjectName(parameter.name);
        editor->setToolTip(QStringLiteral("%1 (%2)").arg(parameter.description, parameter.rangeText()));
        m_parameters->addRow(parameter.name, editor);
        m_editors.emplace_back(parameter.name, editor);
        if (auto *box = qobject_cast<QSpinBox *>(editor))
            connect(box, &QSpinBox::valueChanged, this, &VariantPicker::updateSpec);
        else if (auto *box = qobject_cast<QDoubleSpinBox *>(editor))
            connect(box, &QDoubleSpinBox::valueChanged, this, &VariantPicker::updateSpec);
        else if (auto *box = qobject_cast<QComboBox *>(editor))
            connect(box, &QComboBox::currentTextChanged, this, &VariantPicker::updateSpec);
        else
            connect(qobject_cast<QLineEdit *>(editor), &QLineEdit::textChanged, this, &VariantPicker::updateSpec);
    }
    updateSpec();
}

void VariantPicker::updateSpec()
{
    const QString text = spec();
    try {
        parseVariantSpec(text);
        m_problem.clear();
        m_spec->setText(tr("SPEC: <code>%1</code>").arg(text.toHtmlEscaped()));
    } catch (const VariantSpecError &error) {
        m_problem = QString::fromUtf8(error.what());
        m_spec->setText(tr("<span style='color:#b00'>%1</span>").arg(m_problem.toHtmlEscaped()));
    }
    Q_EMIT specChanged(text);
}

} // namespace attnscope
