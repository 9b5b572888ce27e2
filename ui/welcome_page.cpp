#include "ui/welcome_page.h"

#include <QAction>
#include <QDir>
#include <QFileInfo>
#include <QIcon>
#include <QKeySequence>
#include <QLabel>
#include <QPushButton>
#include <QUrl>
#include <QVBoxLayout>

#include "ui/model_display_name.h"
#include "ui/recent_items.h"

namespace attnscope {

namespace {

constexpr int kShownRecentModels = 5;

QLabel *richLabel(const QString &html, QWidget *parent)
{
    auto *label = new QLabel(html, parent);
    label->setWordWrap(true);
    label->setTextFormat(Qt::RichText);
    return label;
}

QString howToOpen(const QAction *openModel)
{
    const QString shortcut = openModel->shortcut().toString(QKeySequence::NativeText);
    return QObject::tr(
               "<p><b>Open a model to begin.</b> A model is a folder holding "
               "<code>config.json</code> and its weights, or a model already downloaded "
               "from the Hugging Face hub.</p><ul>"
               "<li><b>File → Open Model Folder…</b> (%1) lists the downloaded models</li>"
               "<li>drag a model folder onto this window</li>"
               "<li>from a terminal: <code>attnscope MODEL_DIR</code></li></ul>"
               "<p><b>No model yet?</b> The <b>Examples</b> menu holds small models AttnScope "
               "trained itself (induction heads, grammar, shapes), each with sample inputs and a "
               "guided tour.</p>")
        .arg(shortcut);
}

} // namespace

WelcomePage::WelcomePage(QAction *openModel, QAction *startTour, RecentItems *recentModels, QWidget *parent)
    : QWidget(parent), m_recentModels(recentModels), m_recent(richLabel(QString(), this))
{
    auto *icon = new QLabel(this);
    icon->setPixmap(QIcon(QStringLiteral(":/icons/attnscope.svg")).pixmap(88, 88));
    auto *title = richLabel(tr("<h1 style='margin:0'>AttnScope</h1>"
                               "<p>Look at every layer's and head's attention, exactly.</p>"), this);
    auto *header = new QHBoxLayout;
    header->addWidget(icon);
    header->addWidget(title, 1);

    auto *openButton = new QPushButton(openModel->icon(), tr("Open Model Folder…"), this);
    openButton->setDefault(true);
    connect(openButton, &QPushButton::clicked, openModel, &QAction::trigger);
    auto *tourButton = new QPushButton(tr("Start the Guided Tour"), this);
    tourButton->setObjectName(QStringLiteral("welcomeTour"));
    tourButton->setEnabled(startTour->isEnabled());
    connect(tourButton, &QPushButton::clicked, startTour, &QAction::trigger);
    connect(startTour, &QAction::changed, tourButton, [tourButton, startTour] { tourButton->setEnabled(startTour->isEnabled()); });
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(openButton);
    buttons->addWidget(tourButton);
    buttons->addStretch(1);

    connect(m_recent, &QLabel::linkActivated, this,
            [this](const QString &link) { Q_EMIT recentChosen(QUrl(link).toLocalFile()); });

    auto *column = new QWidget(this);
    column->setMaximumWidth(620);
    auto *content = new QVBoxLayout(column);
    content->setSpacing(14);
    content->addLayout(header);
    content->addWidget(richLabel(howToOpen(openModel), this));
    content->addLayout(buttons);
    content->addWidget(m_recent);

    auto *centered = new QHBoxLayout;
    centered->addStretch(1);
    centered->addWidget(column, 4);
    centered->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->addStretch(1);
    layout->addLayout(centered);
    layout->addStretch(2);

    connect(m_recentModels, &RecentItems::changed, this, &WelcomePage::updateRecent);
    updateRecent();
}

void WelcomePage::updateRecent()
{
    QString html;
    for (const QString &path : m_recentModels->paths().mid(0, kShownRecentModels)) {
        if (!QFileInfo::exists(path))
            continue;
        html += QStringLiteral("<li><a href=\"%1\">%2</a> <small>%3</small></li>")
                    .arg(QUrl::fromLocalFile(path).toString(QUrl::FullyEncoded),
                         modelDisplayName(path).toHtmlEscaped(),
                         QDir::toNativeSeparators(path).toHtmlEscaped());
    }
    m_recent->setText(html.isEmpty() ? QString()
                                     : tr("<p><b>Recent models</b></p><ul>%1</ul>").arg(html));
    m_recent->setVisible(!html.isEmpty());
}

} // namespace attnscope
