#include "ui/user_guide.h"

#include <QDialogButtonBox>
#include <QFile>
#include <QRegularExpression>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace attnscope {

QStringList userGuideSections()
{
    return {QStringLiteral("Using it"), QStringLiteral("Built-in demos")};
}

QString userGuideMarkdown(const QString &readme)
{
    const QStringList lines = readme.split(QLatin1Char('\n'));
    QStringList guide;
    bool inSection = false;
    for (const QString &line : lines) {
        if (line.startsWith(QLatin1String("## ")))
            inSection = userGuideSections().contains(line.mid(3).trimmed());
        if (inSection)
            guide << line;
    }
    static const QRegularExpression picture(QStringLiteral("!\\[([^\\]]*)\\]\\([^)]*\\)"));
    return guide.join(QLatin1Char('\n')).replace(picture, QStringLiteral("*(Picture: \\1)*"));
}

QString bundledReadme()
{
    QFile file(QStringLiteral(":/help/README.md"));
    if (!file.open(QIODevice::ReadOnly))
        return QString();
    return QString::fromUtf8(file.readAll());
}

UserGuideDialog::UserGuideDialog(QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("AttnScope User Guide"));
    const QString readme = bundledReadme();
    m_markdown = readme.isEmpty() ? tr("The user guide is missing from this build; see README.md.")
                                  : userGuideMarkdown(readme);
    auto *browser = new QTextBrowser(this);
    browser->setObjectName(QStringLiteral("userGuide"));
    browser->setOpenExternalLinks(true);
    browser->setMarkdown(m_markdown);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(browser);
    layout->addWidget(buttons);
    resize(760, 640);
}

} // namespace attnscope
