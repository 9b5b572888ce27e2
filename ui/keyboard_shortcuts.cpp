#include "ui/keyboard_shortcuts.h"

#include <QAbstractButton>
#include <QAction>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QRegularExpression>
#include <QSet>
#include <QTableWidget>
#include <QVBoxLayout>

namespace attnscope {

namespace {

QString withoutMnemonic(QString text)
{
    text.remove(QRegularExpression(QStringLiteral("&(?!&)")));
    return text.remove(QChar(0x2026)); // "Open…" reads as "Open" in a list of keys
}

void collectMenu(const QMenu *menu, const QString &path, QList<ShortcutEntry> &entries, QSet<const QAction *> &seen)
{
    for (QAction *action : menu->actions()) {
        if (action->isSeparator())
            continue;
        const QString where = path + QStringLiteral(" › ") + withoutMnemonic(action->text());
        if (action->menu())
            collectMenu(action->menu(), where, entries, seen);
        else if (!action->shortcut().isEmpty() && !seen.contains(action))
            entries.push_back({where, action->shortcut()});
        seen.insert(action);
    }
}

} // namespace

QList<ShortcutEntry> windowShortcuts(const QMainWindow &window)
{
    QList<ShortcutEntry> entries;
    QSet<const QAction *> seen;
    for (QAction *top : window.menuBar()->actions())
        if (top->menu())
            collectMenu(top->menu(), withoutMnemonic(top->text()), entries, seen);
    for (QAction *action : window.actions())
        if (!seen.contains(action) && !action->shortcut().isEmpty())
            entries.push_back({withoutMnemonic(action->text()), action->shortcut()});
    // A button's key of its own, not the Alt+letter its text's mnemonic gives it.
    for (const QAbstractButton *button : window.findChildren<QAbstractButton *>())
        if (!button->shortcut().isEmpty() && button->shortcut() != QKeySequence::mnemonic(button->text()))
            entries.push_back({withoutMnemonic(button->text()), button->shortcut()});
    return entries;
}

KeyboardShortcutsDialog::KeyboardShortcutsDialog(const QMainWindow &window, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Keyboard Shortcuts"));
    const QList<ShortcutEntry> entries = windowShortcuts(window);
    auto *table = new QTableWidget(int(entries.size()), 2, this);
    table->setObjectName(QStringLiteral("shortcutTable"));
    table->setHorizontalHeaderLabels({tr("Command"), tr("Keys")});
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    for (int row = 0; row < entries.size(); ++row) {
        table->setItem(row, 0, new QTableWidgetItem(entries[row].where));
        table->setItem(row, 1, new QTableWidgetItem(entries[row].keys.toString(QKeySequence::NativeText)));
    }
    table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(table);
    layout->addWidget(buttons);
    resize(560, 480);
}

} // namespace attnscope
