#pragma once
// Help → About: what AttnScope is, its licence, and the versions of the libraries it runs
// on (with a button that copies them for bug reports).

#include <QDialog>

namespace attnscope {

class AboutDialog : public QDialog {
    Q_OBJECT
public:
    explicit AboutDialog(QWidget *parent = nullptr);
};

} // namespace attnscope
