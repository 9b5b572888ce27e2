#pragma once
// Session files (.attnscope, JSON): what was open and how it was shown — the model folder or
// attention file, the input text or image, the variant compared, the layer, head and tokens
// selected, the view in front and each view's settings — so that reopening one restores that state.

#include <QJsonObject>
#include <QString>

namespace attnscope {

struct Session {
    QString source;       // model folder or attention file
    QString text;         // the input text (text models)
    QString image;        // the input image (vision models)
    bool compare = false; // run `variant` beside the reference
    QString variant;      // SPEC as attnscope-cli --variant takes it
    int layer = 0, head = 0;
    int query = -1, key = -1; // -1: the default (last query, first key)
    QString view;         // one of workspaceViewNames(); empty: the default
    // Each view's own settings by view name ("model", "lines", "graph", "token"), as the
    // views give them; a view missing here keeps its defaults.
    QJsonObject viewSettings;

    bool operator==(const Session &other) const;
};

QJsonObject sessionToJson(const Session &session);
// Throws InputError(path, …) when a field is missing or has the wrong type.
Session sessionFromJson(const QJsonObject &json, const QString &path);
void writeSession(const QString &path, const Session &session);
Session readSession(const QString &path);

} // namespace attnscope
