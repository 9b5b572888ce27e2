#pragma once
// The positions check every command that runs a model on text makes once it has the tokens and
// before the forward: past learned positions the model cannot run (refused); past a rotary
// model's trained context (or the context assumed when config.json names none) it could, out of
// distribution, so it is refused too unless --allow-longer asks for it (then a warning).

#include <cstdint>

#include <QCommandLineParser>
#include <QString>

namespace attnscope::cli {

// 9000 as "9,000", as the messages write counts.
QString number(int64_t value);

// Adds --allow-longer.
void addPositionOptions(QCommandLineParser &parser);

// Throws InputError ("input: 9,000 tokens exceed the 512 positions stories260K was trained on; …")
// when `tokens` do not fit MODEL_DIR's positions; `counted` says what they are when more than
// the input's tokens (generate: "600 prompt tokens + 32 new tokens"; learned positions are then
// left to the engine, whose refusal says how many new tokens fit). Returns true when the run
// may go on past the trained context (the caller lets the engine do so).
bool checkPositions(const QCommandLineParser &parser, const QString &modelDir, int64_t tokens,
                    const QString &counted = QString());

} // namespace attnscope::cli
