#pragma once
// attnscope --screenshot FILE.png: renders a window once everything queued has been handled,
// writes it as a PNG and ends the application (exit code 0, or 1 with a message on stderr).

class QString;
class QWidget;

namespace attnscope {

void scheduleScreenshotAndQuit(QWidget *window, const QString &pngPath);

} // namespace attnscope
