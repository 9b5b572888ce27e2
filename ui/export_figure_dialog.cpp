#include "ui/export_figure_dialog.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QTimer>

#include "viz/figure/figure_writer.h"

namespace attnscope {

namespace {

constexpr int kPreviewDpi = 96;
constexpr int kPreviewSide = 420;

} // namespace

struct ExportFigureDialog::Private {
    FigureRequest request; // the fields the dialog does not edit (layer, head, token …)
    FigureMaker make;
    QString sourcePath;
    QStringList inputArguments;
    QComboBox *view = nullptr;
    QDoubleSpinBox *width = nullptr;
    QDoubleSpinBox *height = nullptr;
    QComboBox *unit = nullptr;
    QSpinBox *dpi = nullptr;
    QCheckBox *showTitle = nullptr;
    QLineEdit *title = nullptr;
    QCheckBox *colorbar = nullptr;
    QCheckBox *labels = nullptr;
    QSpinBox *fontSize = nullptr;
    QLabel *pixels = nullptr;
    QLabel *preview = nullptr;
    QLabel *problem = nullptr;
    QImage previewImage;
    QTimer previewTimer;
};

ExportFigureDialog::ExportFigureDialog(const FigureRequest &request, FigureSource source, const QString &sourcePath,
                                       const QStringList &inputArguments, QWidget *parent)
    : ExportFigureDialog(request, [source](const FigureRequest &wanted) { return makeFigure(wanted, source); }, sourcePath,
                         inputArguments, parent)
{
    d->view->setEnabled(true);
}

ExportFigureDialog::ExportFigureDialog(const FigureRequest &request, FigureMaker make, const QString &sourcePath,
                                       const QStringList &inputArguments, QWidget *parent)
    : QDialog(parent), d(std::make_unique<Private>())
{
    setWindowTitle(tr("Export Figure"));
    d->make = std::move(make);
    d->sourcePath = sourcePath;
    d->inputArguments = inputArguments;

    d->view = new QComboBox(this);
    for (const QString &name : figureViewNames())
        d->view->addItem(name, name);
    if (d->view->findData(request.view) < 0)
        d->view->addItem(request.view, request.view);
    d->view->setEnabled(false); // the views a FigureSource draws are chosen by the other constructor
    d->width = new QDoubleSpinBox(this);
    d->height = new QDoubleSpinBox(this);
    for (QDoubleSpinBox *box : {d->width, d->height}) {
        box->setRange(0.5, 100);
        box->setDecimals(2);
        box->setSingleStep(0.5);
    }
    d->unit = new QComboBox(this);
    d->unit->addItems(lengthUnitNames());
    d->dpi = new QSpinBox(this);
    d->dpi->setRange(10, 2400);
    d->dpi->setSingleStep(50);
    d->dpi->setSuffix(tr(" dpi"));
    d->showTitle = new QCheckBox(tr("Title"), this);
    d->title = new QLineEdit(this);
    d->colorbar = new QCheckBox(tr("Colorbar"), this);
    d->labels = new QCheckBox(tr("Token labels on the axes"), this);
    d->fontSize = new QSpinBox(this);
    d->fontSize->setRange(FigurePage::kLeastFontPoints, 72);
    d->fontSize->setSuffix(tr(" pt"));
    d->pixels = new QLabel(this);
    d->problem = new QLabel(this);
    d->problem->setWordWrap(true);
    d->problem->setStyleSheet(QStringLiteral("color: #b00020"));
    d->preview = new QLabel(this);
    d->preview->setMinimumSize(kPreviewSide, kPreviewSide * 3 / 4);
    d->preview->setAlignment(Qt::AlignCenter);
    d->preview->setFrameShape(QFrame::StyledPanel);

    auto *size = new QHBoxLayout;
    size->addWidget(d->width);
    size->addWidget(new QLabel(QStringLiteral("×"), this));
    size->addWidget(d->height);
    size->addWidget(d->unit);
    auto *titleRow = new QHBoxLayout;
    titleRow->addWidget(d->showTitle);
    titleRow->addWidget(d->title, 1);
    auto *form = new QFormLayout;
    form->addRow(tr("View"), d->view);
    form->addRow(tr("Size"), size);
    form->addRow(tr("Resolution"), d->dpi);
    form->addRow(QString(), d->pixels);
    form->addRow(titleRow);
    form->addRow(QString(), d->colorbar);
    form->addRow(QString(), d->labels);
    form->addRow(tr("Font size"), d->fontSize);
    form->addRow(d->problem);

    auto *buttons = new QDialogButtonBox(this);
    QPushButton *save = buttons->addButton(tr("Save…"), QDialogButtonBox::AcceptRole);
    save->setObjectName(QStringLiteral("saveFigure"));
    QPushButton *copy = buttons->addButton(tr("Copy as Command"), QDialogButtonBox::ActionRole);
    copy->setObjectName(QStringLiteral("copyCommand"));
    copy->setToolTip(tr("Copy the attnscope-cli render line that draws this figure"));
    copy->setEnabled(!sourcePath.isEmpty());
    buttons->addButton(QDialogButtonBox::Close);
    connect(save, &QPushButton::clicked, this, &ExportFigureDialog::chooseFileAndSave);
    connect(copy, &QPushButton::clicked, this, &ExportFigureDialog::copyCommand);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *left = new QVBoxLayout;
    left->addLayout(form);
    left->addStretch(1);
    auto *top = new QHBoxLayout;
    top->addLayout(left);
    top->addWidget(d->preview, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top, 1);
    layout->addWidget(buttons);

    setRequest(request);
    // Previews wait for the typing to pause: a figure of a long input takes a moment.
    d->previewTimer.setSingleShot(true);
    d->previewTimer.setInterval(150);
    connect(&d->previewTimer, &QTimer::timeout, this, &ExportFigureDialog::updatePreview);
    const auto changed = [this] { d->previewTimer.start(); };
    connect(d->view, &QComboBox::currentIndexChanged, this, changed);
    connect(d->width, &QDoubleSpinBox::valueChanged, this, changed);
    connect(d->height, &QDoubleSpinBox::valueChanged, this, changed);
    connect(d->unit, &QComboBox::currentIndexChanged, this, changed);
    connect(d->dpi, &QSpinBox::valueChanged, this, changed);
    connect(d->showTitle, &QCheckBox::toggled, this, changed);
    connect(d->title, &QLineEdit::textChanged, this, changed);
    connect(d->colorbar, &QCheckBox::toggled, this, changed);
    connect(d->labels, &QCheckBox::toggled, this, changed);
    connect(d->fontSize, &QSpinBox::valueChanged, this, changed);
    connect(d->showTitle, &QCheckBox::toggled, d->title, &QWidget::setEnabled);
    updatePreview();
}

ExportFigureDialog::~ExportFigureDialog() = default;

FigureRequest ExportFigureDialog::request() const
{
    FigureRequest request = d->request;
    request.view = d->view->currentData().toString();
    FigurePage &page = request.page;
    page.width = d->width->value();
    page.height = d->height->value();
    page.unit = LengthUnit(d->unit->currentIndex());
    page.dpi = d->dpi->value();
    page.showTitle = d->showTitle->isChecked();
    page.title = d->title->text();
    page.colorbar = d->colorbar->isChecked();
    page.labels = d->labels->isChecked();
    page.fontPoints = d->fontSize->value();
    return request;
}

void ExportFigureDialog::setRequest(const FigureRequest &request)
{
    d->request = request;
    const FigurePage &page = request.page;
    d->view->setCurrentIndex(std::max(0, d->view->findData(request.view)));
    d->width->setValue(page.width);
    d->height->setValue(page.height);
    d->unit->setCurrentIndex(int(page.unit));
    d->dpi->setValue(page.dpi);
    d->showTitle->setChecked(page.showTitle);
    d->title->setText(page.title);
    d->title->setEnabled(page.showTitle);
    d->colorbar->setChecked(page.colorbar);
    d->labels->setChecked(page.labels);
    d->fontSize->setValue(page.fontPoints);
    d->previewTimer.start();
}

QString ExportFigureDialog::command(const QString &outPath) const
{
    return renderCommandLine(d->sourcePath, d->inputArguments, request(), outPath);
}

bool ExportFigureDialog::exportTo(const QString &path, QString *error) const
{
    try {
        const FigureRequest wanted = request();
        writeFigure(path, wanted.page, *d->make(wanted));
        return true;
    } catch (const std::exception &failure) {
        if (error)
            *error = QString::fromUtf8(failure.what()).section(QLatin1Char('\n'), 0, 0);
        return false;
    }
}

QImage ExportFigureDialog::preview() const { return d->previewImage; }

void ExportFigureDialog::updatePreview()
{
    const FigureRequest wanted = request();
    const QSize pixels = wanted.page.pixelSize();
    d->pixels->setText(tr("%1 × %2 pixels in PNG").arg(pixels.width()).arg(pixels.height()));
    d->problem->clear();
    try {
        FigureRequest shown = wanted;
        shown.page.dpi = kPreviewDpi; // the layout is in points: only the pixels change
        d->previewImage = figureImage(shown.page, *d->make(shown));
        d->preview->setPixmap(QPixmap::fromImage(
            d->previewImage.scaled(d->preview->size(), Qt::KeepAspectRatio, Qt::SmoothTransformation)));
    } catch (const std::exception &failure) {
        d->previewImage = QImage();
        d->preview->clear();
        d->problem->setText(QString::fromUtf8(failure.what()).section(QLatin1Char('\n'), 0, 0));
    }
}

void ExportFigureDialog::chooseFileAndSave()
{
    const QString suggested = QStringLiteral("%1.pdf").arg(request().view);
    const QString path = QFileDialog::getSaveFileName(this, tr("Export the figure"), suggested,
                                                      tr("PDF (*.pdf);;SVG (*.svg);;PNG (*.png)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportTo(path, &error)) {
        QMessageBox::warning(this, tr("Export Figure"), error);
        return;
    }
    accept();
}

void ExportFigureDialog::copyCommand()
{
    QApplication::clipboard()->setText(command(QStringLiteral("%1.pdf").arg(request().view)));
}

} // namespace attnscope
