#pragma once
// Help → Keyboard Shortcuts: the keys of the window's actual QActions (menus and window
// actions) and of buttons with a key of their own (Run: Ctrl+Return), read from the widgets
// each time, so the list cannot drift from what the keys do.

#include <QDialog>
#include <QKeySequence>
#include <QList>
#include <QString>

class QMainWindow;

namespace attnscope {

struct ShortcutEntry {
    QString where; // "View › Presentation Mode", or the button's text
    QKeySequence keys;
};

// In menu order, then the window's own actions, then the buttons; without mnemonics (&File).
QList<ShortcutEntry> windowShortcuts(const QMainWindow &window);

class KeyboardShortcutsDialog : public QDialog {
    Q_OBJECT
public:
    explicit KeyboardShortcutsDialog(const QMainWindow &window, QWidget *parent = nullptr);
};

} // namespace attnscope
