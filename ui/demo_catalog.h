#pragma once
// The built-in demos (resources/demos/demos.json): the models AttnScope trained itself
// (attnscope-cli train-demo), their sample inputs for the Examples menu and the guided tour
// a teacher follows: what to click and what to notice.

#include <QList>
#include <QString>

namespace attnscope {

// What a step says, and what its "Show me" does: select the head, run the variant beside
// the reference, run the analysis, bring the view forward (each only when given).
struct DemoTourStep {
    QString title;
    QString text;     // rich text
    QString view;     // a workspace view to show, or empty
    int layer = -1;   // the head to select, or -1
    int head = -1;
    QString variant;  // a variant SPEC to compare with the reference, or empty
    QString analysis; // an analysis to run (analysisNames()), or empty
};

struct DemoExample {
    QString title;
    QString text;      // for text models
    QString imagePath; // absolute, for vision models
};

struct DemoEntry {
    QString name;   // as in attnscope-cli train-demo NAME
    QString title;
    QString folder; // absolute model folder
    QString summary;
    QList<DemoExample> examples;
    QList<DemoTourStep> tour;
};

// Where the demos are: $ATTNSCOPE_DEMOS, the installed share/attnscope/demos next to the
// executable, or the source tree's resources/demos; empty when none holds a demos.json.
QString demosDirectory();

// Reads DIR/demos.json; throws InputError naming the file and the field.
QList<DemoEntry> loadDemoCatalog(const QString &directory);

} // namespace attnscope
