#pragma once
// File → Export…: the figure of the view in front on a page an author sets — size in cm or
// inches, dpi (300 by default), title, colorbar, token labels, font size — with a preview,
// Save as PNG, SVG or PDF, and "Copy as command": the attnscope-cli render line that draws
// the same figure, pixel for pixel.

#include <functional>
#include <memory>

#include <QDialog>

#include "viz/figure/figure_request.h"

class QImage;

namespace attnscope {

class ExportFigureDialog : public QDialog {
    Q_OBJECT
public:
    // Draws the figure a request asks for (the page is the dialog's).
    using FigureMaker = std::function<std::unique_ptr<FigureContent>(const FigureRequest &)>;

    // sourcePath and inputArguments (e.g. {"--text", "…"}) make the command line.
    ExportFigureDialog(const FigureRequest &request, FigureSource source, const QString &sourcePath,
                       const QStringList &inputArguments, QWidget *parent = nullptr);
    // A figure drawn by `make` (the image overlay): request.view names it and cannot be
    // changed; without a sourcePath there is no command line to copy.
    ExportFigureDialog(const FigureRequest &request, FigureMaker make, const QString &sourcePath,
                       const QStringList &inputArguments, QWidget *parent = nullptr);
    ~ExportFigureDialog() override;

    FigureRequest request() const; // as the dialog's fields now say
    void setRequest(const FigureRequest &request);
    QString command(const QString &outPath) const; // the CLI line for this figure
    // Writes the figure (format by suffix); false with a one-line message on failure.
    bool exportTo(const QString &path, QString *error) const;
    QImage preview() const; // what the preview shows

private:
    void updatePreview();
    void chooseFileAndSave();
    void copyCommand();

    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace attnscope
