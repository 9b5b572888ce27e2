#pragma once
// The AttnScope main window: menus, the central area and dockable views.
//
// Extension points for the views of later issues:
//  - setCentralView(view) replaces the welcome page in the centre;
//  - addDockView(id, title, view, area) adds a dock listed under View, whose place is kept
//    with the window layout (id becomes its objectName: keep it stable across versions);
//  - modelFolderChosen(dir) is emitted once a folder was checked to hold a model: the engine
//    wiring loads the model from there.
// The layout (geometry, docks, status bar) is restored from QSettings on construction and
// saved on close. A workspace sits in a scroll area (centralWidget() is that area).

#include <memory>

#include <QMainWindow>

class QDockWidget;

namespace attnscope {

class AttentionWorkspace;
class DemoLauncher;
struct CorpusExampleChoice;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    void setCentralView(QWidget *view); // takes ownership; deletes the previous one
    QDockWidget *addDockView(const QString &id, const QString &title, QWidget *view,
                             Qt::DockWidgetArea area = Qt::RightDockWidgetArea);

    // Checks that `dir` holds a model (a readable config.json naming its model_type). On
    // success remembers it under File → Open Recent, shows it and emits modelFolderChosen;
    // otherwise returns false with a one-line reason in *error.
    bool openModelFolder(const QString &dir, QString *error = nullptr);
    // Attention saved by attnscope-cli run or any framework (see core/capture/attention_file.h).
    bool openAttentionFile(const QString &path, QString *error = nullptr);
    // A saved .attnscope session: opens its source, then restores input, variant, selection
    // and view (running the input).
    // A source it names that no longer exists fails with one line naming the session.
    bool openSession(const QString &path, QString *error = nullptr);
    // A folder written by attnscope-cli batch, in the Corpus view (mainwindow_corpus.cpp); a
    // folder that is no usable run shows why in the view, and in *error.
    bool openCorpusRun(const QString &dir, QString *error = nullptr);
    // What `attnscope PATH` opens: a session (.attnscope), an attention file, a corpus run or a model folder.
    bool openPath(const QString &path, QString *error = nullptr);
    bool saveSession(const QString &path, QString *error = nullptr) const;
    // The workspace of the open model folder, or null before one is open.
    AttentionWorkspace *workspace() const;
    // The built-in demos: Examples menu, sample inputs, guided tours.
    DemoLauncher *demos() const;
    // View → Presentation Mode (F5): larger fonts, side panel and status bar folded away.
    void setPresentationMode(bool on);
    bool isPresentationMode() const;
    // View → Lower Views: the Token, Neuron and Analyses views below the maps.
    void setLowerViewsShown(bool shown);

Q_SIGNALS:
    void modelFolderChosen(const QString &dir);
    // A workspace opened on this model folder or attention file (absolute, clean path).
    void workspaceOpened(const QString &source);

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void connectMenus();
    void chooseModelFolder();
    void openModelFolderShowingErrors(const QString &dir);
    void chooseAttentionFile();
    void chooseCorpusRun();
    // The example in the workspace of its model; the corpus view moves to a dock (F7).
    void openCorpusExample(const CorpusExampleChoice &choice);
    void chooseSessionToOpen();
    void chooseSessionToSave();
    void chooseImage();
    void exportFigure(); // File → Export…: the dialog for the view in front
    // Help menu (mainwindow_help.cpp).
    void showAbout();
    void showUserGuide();
    void showShortcuts();
    void restartTour();
    void resetLayout();

    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace attnscope
