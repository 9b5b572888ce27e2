#pragma once
// Where the main window was, how its docks and toolbars were laid out and whether its
// status bar shows, kept in QSettings between sessions.

class QMainWindow;
class QSettings;

namespace attnscope {

void saveWindowLayout(QMainWindow &window, QSettings &settings);

// Returns false when nothing was saved yet (or the saved layout is from an older version
// of the dock arrangement), leaving the window as it is.
bool restoreWindowLayout(QMainWindow &window, QSettings &settings);

} // namespace attnscope
