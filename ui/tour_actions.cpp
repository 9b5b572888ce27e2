#include "ui/tour_actions.h"

#include <QList>

#include "ui/attention_selection.h"
#include "ui/attention_workspace.h"
#include "ui/control_highlight.h"
#include "ui/demo_catalog.h"
#include "ui/panels/analysis_panel.h"
#include "ui/panels/variant_picker.h"

namespace attnscope {

namespace {

void flashAll(const AttentionWorkspace &workspace, const QStringList &controls)
{
    for (const QString &name : controls)
        ControlHighlight::flash(workspace.tourControl(name));
}

// The part of a step that needs a finished run: head, view, analysis.
void showOnRun(AttentionWorkspace &workspace, const DemoTourStep &step)
{
    QStringList used;
    if (step.layer >= 0 && step.head >= 0) {
        workspace.selection()->selectHead(step.layer, step.head);
        used << QStringLiteral("layer") << QStringLiteral("head");
    }
    if (!step.view.isEmpty()) {
        workspace.showView(step.view);
        used << QStringLiteral("view:") + step.view;
    }
    if (!step.analysis.isEmpty()) {
        AnalysisPanel *panel = workspace.analysisPanel();
        panel->chooseMethod(step.analysis);
        panel->startAnalysis();
        workspace.showView(QStringLiteral("analyses"));
        used << QStringLiteral("analyses");
    }
    flashAll(workspace, used);
}

} // namespace

void showMe(AttentionWorkspace &workspace, const DemoTourStep &step)
{
    if (step.variant.isEmpty()) {
        showOnRun(workspace, step);
        return;
    }
    workspace.setComparing(true);
    workspace.variantPicker()->setSpec(step.variant);
    flashAll(workspace, {QStringLiteral("compare"), QStringLiteral("variant"), QStringLiteral("run")});
    // The run resets the selection when it ends: the head and view are chosen then.
    QObject::connect(&workspace, &AttentionWorkspace::ready, &workspace,
                     [&workspace, step] { showOnRun(workspace, step); }, Qt::SingleShotConnection);
    workspace.startRun();
}

} // namespace attnscope
