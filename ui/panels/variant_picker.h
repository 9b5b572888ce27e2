#pragma once
// Picks an attention variant from the registry and writes its SPEC (as attnscope-cli
// --variant takes it): one editor per parameter, built from the variant's own parameter
// descriptions (range, choices, help), and the layers and heads it applies to.

#include <QWidget>

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;

namespace attnscope {

class VariantPicker : public QWidget {
    Q_OBJECT
public:
    explicit VariantPicker(QWidget *parent = nullptr);

    void chooseVariant(const QString &name);
    // Sets one parameter's editor from SPEC text (e.g. "8").
    void setParameter(const QString &name, const QString &value);
    void setScope(const QString &layers, const QString &heads);

    QString spec() const;   // e.g. "topk:k=8@layers=0-3"
    // Chooses the variant, parameters and scope a SPEC names (as spec() writes it).
    void setSpec(const QString &spec);
    bool isValid() const;   // the spec parses
    QString problem() const; // why not, one line

Q_SIGNALS:
    void specChanged(const QString &spec);

private:
    void rebuildParameters();
    void updateSpec();

    QComboBox *m_variant;
    QFormLayout *m_parameters;
    QLineEdit *m_layers;
    QLineEdit *m_heads;
    QLabel *m_spec;
    QString m_problem;
    std::vector<std::pair<QString, QWidget *>> m_editors;
};

} // namespace attnscope
