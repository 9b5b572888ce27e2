#pragma once
// The input of a vision model: the chosen image file (a thumbnail and its name), an Open
// button, and the hint that an image can be dropped on the window.

#include <QWidget>

class QLabel;

namespace attnscope {

class ImageInput : public QWidget {
    Q_OBJECT
public:
    explicit ImageInput(QWidget *parent = nullptr);
    void setPath(const QString &path);
    QString path() const { return m_path; }

Q_SIGNALS:
    void pathChosen(const QString &path); // through the Open button

private:
    QString m_path;
    QLabel *m_preview = nullptr;
    QLabel *m_name = nullptr;
};

} // namespace attnscope
