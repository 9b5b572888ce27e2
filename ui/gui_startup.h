#pragma once
// What attnscope does before its QApplication exists: reading the command line (so --help,
// --version and usage errors need no display) and choosing the windowing platform; and, once
// a workspace is open, showing the head and view the command line names.

#include <optional>

#include <QSize>
#include <QString>

namespace attnscope {

class AttentionWorkspace;

struct GuiOptions {
    QString screenshot; // --screenshot FILE.png: render offscreen, write, exit
    QSize size;         // --size WIDTHxHEIGHT; invalid when not given
    bool demo = false;  // --demo: the induction demo with its guided tour
    bool presentation = false; // --presentation: start in presentation mode (View menu)
    QString path;       // MODEL_DIR to open
    QString text;       // --text: run the model on it at once
    QString image;      // --image: run a vision model on it at once
    QString analysis;   // --analysis NAME: then run that analysis on the run
    QString view;       // --view NAME: the view to show (workspaceViewNames())
    std::optional<int> layer; // --layer, --head: the head to show first; unset ones keep
    std::optional<int> head;  // the workspace's own (0, or a session's)
};

// Returns the exit code when the process should end now, after printing the help, the
// version or a one-line usage error (exit 2); std::nullopt when the GUI should start.
std::optional<int> parseGuiCommandLine(int argc, char *argv[], GuiOptions &options);

// Screenshots render offscreen unless QT_QPA_PLATFORM says otherwise. Without any display
// the GUI cannot start: prints why and returns false instead of letting Qt abort.
bool chooseDisplayPlatform(const GuiOptions &options);

// Shows the layer, head and view the options give; those not given stay as the workspace has
// them, so `attnscope FILE.attnscope` keeps the session's selection and view. With
// --presentation, the workspace's window enters presentation mode.
void showCommandLineChoices(AttentionWorkspace &workspace, const GuiOptions &options);

} // namespace attnscope
