#include "ui/panels/image_input.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QImageReader>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace attnscope {

ImageInput::ImageInput(QWidget *parent) : QWidget(parent)
{
    m_preview = new QLabel(this);
    m_preview->setMinimumHeight(120);
    m_preview->setAlignment(Qt::AlignCenter);
    m_preview->setText(tr("No image yet.\nOpen one, or drop it on the window."));
    m_name = new QLabel(this);
    m_name->setWordWrap(true);
    auto *open = new QPushButton(tr("&Open image…"), this);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_preview, 1);
    layout->addWidget(m_name);
    layout->addWidget(open);
    connect(open, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open an image"), QFileInfo(m_path).path(),
                                                          tr("Images (*.png *.jpg *.jpeg *.bmp *.webp *.tif *.tiff);;All files (*)"));
        if (path.isEmpty())
            return;
        setPath(path);
        Q_EMIT pathChosen(path);
    });
}

void ImageInput::setPath(const QString &path)
{
    m_path = path;
    m_name->setText(QFileInfo(path).fileName());
    m_name->setToolTip(path);
    // A preview only: the run reads the file through the model's own decoder, which reports
    // problems; a huge image is scaled while reading.
    QImageReader reader(path);
    reader.setAutoTransform(true);
    const QSize size = reader.size();
    if (size.isValid())
        reader.setScaledSize(size.scaled(240, 160, Qt::KeepAspectRatio));
    const QImage preview = reader.read();
    if (preview.isNull())
        m_preview->setText(tr("(no preview)"));
    else
        m_preview->setPixmap(QPixmap::fromImage(preview));
}

} // namespace attnscope
