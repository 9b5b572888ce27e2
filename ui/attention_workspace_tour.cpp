// The workspace as the tour and presentation mode drive it: its input column and lower views
// shown or folded, and the controls a tour step points at.
#include "ui/attention_workspace.h"
#include "ui/attention_workspace_private.h"

#include <QCheckBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTabBar>
#include <QTabWidget>

#include "ui/panels/analysis_panel.h"
#include "ui/panels/variant_picker.h"

namespace attnscope {

namespace {
// The input column is the text box's parent (buildControls): text, Run, layer, head, variant.
QWidget *inputColumn(const QPlainTextEdit *text) { return text->parentWidget(); }
} // namespace

void AttentionWorkspace::setSidePanelShown(bool shown) { inputColumn(d->text)->setVisible(shown); }

bool AttentionWorkspace::isSidePanelShown() const { return !inputColumn(d->text)->isHidden(); }

// Folded by height, not hidden: each run shows the lower views again (onRunFinished), and a
// splitter counts the least height of every child it shows.
void AttentionWorkspace::setLowerViewsShown(bool shown) { d->lowerTabs->setMaximumHeight(shown ? QWIDGETSIZE_MAX : 0); }

bool AttentionWorkspace::areLowerViewsShown() const { return d->lowerTabs->maximumHeight() > 0; }

bool AttentionWorkspace::isLowerView(const QString &name) const
{
    return name == QLatin1String("analyses") || d->lowerTabs->indexOf(d->frameOf(name)) >= 0;
}

QWidget *AttentionWorkspace::tourControl(const QString &name) const
{
    if (name == QLatin1String("layer"))
        return d->layer;
    if (name == QLatin1String("head"))
        return d->head;
    if (name == QLatin1String("compare"))
        return d->compare;
    if (name == QLatin1String("variant"))
        return d->picker;
    if (name == QLatin1String("run"))
        return d->runButton;
    if (name == QLatin1String("analyses"))
        return d->analyses;
    if (ViewFrame *frame = name.startsWith(QLatin1String("view:")) ? d->frameOf(name.mid(5)) : nullptr)
        for (QTabWidget *tabs : {d->upperTabs, d->lowerTabs})
            if (tabs->indexOf(frame) >= 0)
                return tabs->tabBar();
    return nullptr;
}

} // namespace attnscope
