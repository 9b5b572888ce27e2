#include "ui/about_dialog.h"

#include <QClipboard>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include "viz/library_versions.h"

namespace attnscope {

namespace {

QLabel *selectableLabel(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

} // namespace

AboutDialog::AboutDialog(QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("About AttnScope"));

    auto *icon = new QLabel(this);
    icon->setPixmap(QIcon(QStringLiteral(":/icons/attnscope.svg")).pixmap(96, 96));
    icon->setAlignment(Qt::AlignTop);

    auto *title = new QLabel(QStringLiteral("<h2>AttnScope %1</h2>")
                                 .arg(QCoreApplication::applicationVersion()), this);
    auto *description = new QLabel(
        tr("Explore attention inside transformer models: every layer and head, from the whole "
           "model down to a single query/key pair.<br>"
           "Licensed under the GNU General Public License, version 3 or later."), this);
    description->setWordWrap(true);

    const LibraryVersions versions = libraryVersions();
    auto *libraries = new QFormLayout;
    libraries->addRow(tr("Qt:"), selectableLabel(versions.qt, this));
    libraries->addRow(tr("LibTorch:"), selectableLabel(versions.libtorch, this));
    libraries->addRow(tr("OpenCV:"), selectableLabel(versions.opencv, this));

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *copy = buttons->addButton(tr("Copy Versions"), QDialogButtonBox::ActionRole);
    connect(copy, &QPushButton::clicked, this, [] {
        QGuiApplication::clipboard()->setText(
            QStringLiteral("AttnScope %1 (%2)")
                .arg(QCoreApplication::applicationVersion(), libraryVersionsLine()));
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *text = new QVBoxLayout;
    text->addWidget(title);
    text->addWidget(description);
    text->addLayout(libraries);
    auto *body = new QHBoxLayout;
    body->addWidget(icon);
    body->addLayout(text, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(body);
    layout->addWidget(buttons);
    setMinimumWidth(460);
}

} // namespace attnscope
