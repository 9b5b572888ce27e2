#pragma once
// Help → User Guide: the README's usage sections shown in the app. The README itself is
// compiled in as a resource (resources/CMakeLists.txt), so the guide is the README's text of
// the build, never a copy to keep in step.

#include <QDialog>
#include <QString>
#include <QStringList>

namespace attnscope {

// The README sections the guide shows, by their "## " heading.
QStringList userGuideSections();

// Those sections of `readme` (each up to the next "## " heading), pictures replaced by their
// captions (the images are not in the binary).
QString userGuideMarkdown(const QString &readme);

// The README compiled into the binary (":/help/README.md"); empty if the resource is missing.
QString bundledReadme();

class UserGuideDialog : public QDialog {
    Q_OBJECT
public:
    explicit UserGuideDialog(QWidget *parent = nullptr);
    QString markdown() const { return m_markdown; }

private:
    QString m_markdown;
};

} // namespace attnscope
