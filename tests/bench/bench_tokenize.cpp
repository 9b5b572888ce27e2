// Tokenizer speed: GPT-2 BPE over 1 MB of English text (goal: under 1 s on one core), and
// the cost against input length (10k → 100k tokens must scale linearly), including the
// worst cases for BPE merging (one huge word) and for the pre-tokenizer regex (a huge
// whitespace run). Needs ../shared/tokenizers.
#include <benchmark/benchmark.h>

#include <QFileInfo>

#include "core/tokenize/tokenizer.h"

using namespace attnscope::tokenize;

namespace {

const Tokenizer *sharedTokenizer(const char *name)
{
    static std::map<std::string, std::unique_ptr<Tokenizer>> cache;
    auto &slot = cache[name];
    const QString path = QStringLiteral(ATTNSCOPE_SHARED_DIR "/tokenizers/") + QLatin1String(name);
    if (!slot && QFileInfo::exists(path))
        slot = loadTokenizer(path);
    return slot.get();
}

// Deterministic English-like prose: common words, punctuation, numbers, line breaks.
QByteArray englishText(qint64 bytes)
{
    static const char *const words[] = {
        "the", "of", "and", "to", "in", "a", "is", "that", "for", "it", "as", "was", "with", "be", "by",
        "on", "not", "he", "this", "are", "or", "his", "from", "at", "which", "but", "have", "an", "had",
        "they", "you", "were", "their", "one", "all", "we", "can", "her", "has", "there", "been", "if",
        "more", "when", "will", "would", "who", "so", "no", "attention", "model", "transformer", "layer",
        "token", "researchers", "showed", "weights", "sequence", "language", "between", "children",
        "garden", "morning", "Cambridge", "understanding", "representation", "unbelievable", "quickly",
        "don't", "it's", "1984", "3.14", "42", "(see", "above)", "e.g.", "well-known", "state-of-the-art"};
    const int count = int(sizeof(words) / sizeof(words[0]));
    QByteArray text;
    text.reserve(bytes + 32);
    quint32 state = 12345;
    int inSentence = 0;
    while (text.size() < bytes) {
        state = state * 1664525u + 1013904223u;
        QByteArray word = words[(state >> 8) % count];
        if (inSentence == 0)
            word[0] = QChar::toUpper(word[0]);
        text += word;
        ++inSentence;
        if (inSentence > 8 + int((state >> 20) % 12)) {
            text += (state >> 4) % 5 == 0 ? ",\n" : ". ";
            inSentence = 0;
        } else {
            text += ' ';
        }
    }
    text.truncate(bytes);
    return text;
}

void encodeBench(benchmark::State &state, const char *name, const QByteArray &text)
{
    const Tokenizer *tokenizer = sharedTokenizer(name);
    if (!tokenizer) {
        state.SkipWithError("shared tokenizer absent");
        return;
    }
    size_t tokens = 0;
    for (auto _ : state) {
        const Encoding e = tokenizer->encode(text, false);
        tokens = e.tokens.size();
        benchmark::DoNotOptimize(tokens);
    }
    state.SetBytesProcessed(int64_t(state.iterations()) * text.size());
    state.counters["tokens"] = double(tokens);
    state.SetComplexityN(int64_t(tokens));
}

void BM_Gpt2OneMegabyte(benchmark::State &state)
{
    static const QByteArray text = englishText(1 << 20);
    encodeBench(state, "gpt2", text);
}
BENCHMARK(BM_Gpt2OneMegabyte)->Unit(benchmark::kMillisecond)->MinTime(2.0);

// Arg: wanted tokens (GPT-2 makes about one token per 4.6 bytes of this text).
void BM_Gpt2Scaling(benchmark::State &state)
{
    encodeBench(state, "gpt2", englishText(state.range(0) * 46 / 10));
}
BENCHMARK(BM_Gpt2Scaling)->Arg(10000)->Arg(30000)->Arg(100000)->Unit(benchmark::kMillisecond)->Complexity(benchmark::oN);

void BM_Gpt2OneHugeWord(benchmark::State &state)
{
    QByteArray text;
    for (int64_t i = 0; i < state.range(0); ++i)
        text += char('a' + (i * 7 + i / 13) % 26);
    encodeBench(state, "gpt2", text);
}
BENCHMARK(BM_Gpt2OneHugeWord)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond)->Complexity(benchmark::oN);

void BM_Gpt2WhitespaceRun(benchmark::State &state)
{
    encodeBench(state, "gpt2", QByteArray(int(state.range(0)), ' ') + "end");
}
BENCHMARK(BM_Gpt2WhitespaceRun)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond)->Complexity(benchmark::oN);

void BM_BertOneMegabyte(benchmark::State &state)
{
    static const QByteArray text = englishText(1 << 20);
    encodeBench(state, "bert-base-uncased", text);
}
BENCHMARK(BM_BertOneMegabyte)->Unit(benchmark::kMillisecond);

void BM_Llama3OneMegabyte(benchmark::State &state)
{
    static const QByteArray text = englishText(1 << 20);
    encodeBench(state, "llama3", text);
}
BENCHMARK(BM_Llama3OneMegabyte)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
