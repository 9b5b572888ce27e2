// The workspace's session: the state a .attnscope file keeps, and its restoration.

#include <QCheckBox>
#include <QComboBox>

#include "ui/attention_selection.h"
#include "ui/attention_workspace_private.h"
#include "ui/panels/variant_picker.h"
#include "ui/session_file.h"
#include "ui/views/head_view.h"
#include "ui/views/lines_view.h"
#include "ui/views/model_view.h"
#include "ui/views/token_graph_view.h"
#include "ui/views/token_view.h"

namespace attnscope {

namespace {
// Show's choices (ComparedMap order) as a session writes them.
constexpr const char *kShowNames[] = {"reference", "variant", "difference"};
} // namespace

Session AttentionWorkspace::captureSession() const
{
    Session session;
    session.source = d->modelDir;
    session.text = d->vision || !d->attentionFile.isEmpty() ? QString() : text();
    session.image = d->vision ? imagePath() : QString();
    session.compare = d->compare->isChecked();
    session.variant = d->picker->spec();
    session.layer = d->selection->layer();
    session.head = d->selection->head();
    session.query = d->selection->query();
    session.key = d->selection->key();
    session.view = d->frontView;
    session.viewSettings = QJsonObject{{QStringLiteral("head"), QJsonObject{{QStringLiteral("colormap"), d->colormap->currentText()},
                                                                         {QStringLiteral("scale"), d->scale->currentText()},
                                                                         {QStringLiteral("per_row"), d->headView->isRowNormalized()},
                                                                         {QStringLiteral("show"), kShowNames[d->comparedMap->currentIndex()]}}},
                                       {QStringLiteral("model"), d->modelView->settings()},
                                       {QStringLiteral("lines"), d->linesView->settings()},
                                       {QStringLiteral("graph"), d->graphView->settings()},
                                       {QStringLiteral("token"), d->tokenView->settings()}};
    return session;
}

void AttentionWorkspace::applySession(const Session &session)
{
    if (!session.text.isEmpty())
        setText(session.text);
    if (!session.image.isEmpty())
        setImage(session.image);
    if (!session.variant.isEmpty())
        d->picker->setSpec(session.variant);
    d->compare->setChecked(session.compare && !d->vision && d->attentionFile.isEmpty());
    d->selection->selectHead(session.layer, session.head);
    if (session.query >= 0 && session.key >= 0)
        d->pendingCell = std::pair{session.query, session.key};
    const QJsonObject &settings = session.viewSettings;
    const QJsonObject head = settings.value(QStringLiteral("head")).toObject();
    if (Colormap::names().contains(head.value(QStringLiteral("colormap")).toString()))
        d->colormap->setCurrentText(head.value(QStringLiteral("colormap")).toString());
    if (scaleKindNames().contains(head.value(QStringLiteral("scale")).toString()))
        d->scale->setCurrentText(head.value(QStringLiteral("scale")).toString());
    d->headView->setRowNormalized(head.value(QStringLiteral("per_row")).toBool(false));
    for (int map = 0; map < 3; ++map)
        if (head.value(QStringLiteral("show")).toString() == QLatin1String(kShowNames[map]))
            d->comparedMap->setCurrentIndex(map); // what every view shows after the comparison
    d->modelView->applySettings(settings.value(QStringLiteral("model")).toObject());
    d->linesView->applySettings(settings.value(QStringLiteral("lines")).toObject());
    d->graphView->applySettings(settings.value(QStringLiteral("graph")).toObject());
    d->tokenView->applySettings(settings.value(QStringLiteral("token")).toObject());
    if (!session.view.isEmpty())
        showView(session.view);
    const bool hasInput = d->vision ? !imagePath().isEmpty() : !text().isEmpty();
    if (d->attentionFile.isEmpty() && hasInput)
        startRun();
}

} // namespace attnscope
