#include "ui/attention_selection.h"

#include <algorithm>

namespace attnscope {

namespace {
int clamped(int value, int count) { return std::clamp(value, 0, std::max(0, count - 1)); }
}

AttentionSelection::AttentionSelection(QObject *parent) : QObject(parent) {}

void AttentionSelection::setShape(int layers, int heads, int tokens)
{
    const bool newTokens = tokens != m_tokens;
    m_layers = layers;
    m_heads = heads;
    m_tokens = tokens;
    m_layer = clamped(m_layer, layers);
    m_head = clamped(m_head, heads);
    if (newTokens) {
        m_query = clamped(tokens - 1, tokens);
        m_key = 0;
    }
    m_query = clamped(m_query, tokens);
    m_key = clamped(m_key, tokens);
    Q_EMIT headChanged(m_layer, m_head);
    Q_EMIT tokenChanged(m_query, m_key);
}

void AttentionSelection::selectHead(int layer, int head)
{
    if (m_layers == 0) { // no run yet: kept for setShape to clamp
        m_layer = layer;
        m_head = head;
        return;
    }
    layer = clamped(layer, m_layers);
    head = clamped(head, m_heads);
    if (layer == m_layer && head == m_head)
        return;
    m_layer = layer;
    m_head = head;
    Q_EMIT headChanged(m_layer, m_head);
}

void AttentionSelection::step(int layers, int heads) { selectHead(m_layer + layers, m_head + heads); }

void AttentionSelection::selectQuery(int query) { selectCell(query, m_key); }

void AttentionSelection::selectKey(int key) { selectCell(m_query, key); }

void AttentionSelection::selectCell(int query, int key)
{
    query = clamped(query, m_tokens);
    key = clamped(key, m_tokens);
    if (query == m_query && key == m_key)
        return;
    m_query = query;
    m_key = key;
    Q_EMIT tokenChanged(m_query, m_key);
}

} // namespace attnscope
