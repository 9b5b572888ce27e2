#pragma once
// The one selection every view of a run shares: the layer and head shown, and the query and
// key tokens picked (the head view's clicked cell, the token view's token, the neuron view's
// pair). Views change it through the setters and follow it through the signals, so picking a
// layer, head or token anywhere updates every view. Values are clamped to the run's shape.

#include <QObject>

namespace attnscope {

class AttentionSelection : public QObject {
    Q_OBJECT
public:
    explicit AttentionSelection(QObject *parent = nullptr);

    // The shape of the run; clamps the selection into it (the query starts at the last token,
    // the key at the first) and announces both.
    void setShape(int layers, int heads, int tokens);
    int layers() const { return m_layers; }
    int heads() const { return m_heads; }
    int tokens() const { return m_tokens; }

    int layer() const { return m_layer; }
    int head() const { return m_head; }
    int query() const { return m_query; }
    int key() const { return m_key; }

public Q_SLOTS:
    // Before the first setShape the head is only remembered (e.g. from the command line).
    void selectHead(int layer, int head);
    // Moves by whole layers and heads, clamped (the keyboard's arrows).
    void step(int layers, int heads);
    void selectQuery(int query);
    void selectKey(int key);
    void selectCell(int query, int key);

Q_SIGNALS:
    void headChanged(int layer, int head);
    void tokenChanged(int query, int key);

private:
    int m_layers = 0, m_heads = 0, m_tokens = 0;
    int m_layer = 0, m_head = 0, m_query = 0, m_key = 0;
};

} // namespace attnscope
