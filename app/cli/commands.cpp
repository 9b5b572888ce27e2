#include "app/cli/command.h"

namespace attnscope::cli {

int runAnalyze(const QStringList &arguments);
int runBatch(const QStringList &arguments);
int runCompare(const QStringList &arguments);
int runGenerate(const QStringList &arguments);
int runInfo(const QStringList &arguments);
int runMerge(const QStringList &arguments);
int runRender(const QStringList &arguments);
int runRun(const QStringList &arguments);
int runTokenize(const QStringList &arguments);
int runTrainDemo(const QStringList &arguments);

// One line per subcommand; each function lives in app/cli/<name>.cpp.
const std::vector<Command> &commands()
{
    static const std::vector<Command> list = {
        {"info", "describe a model folder (JSON)", runInfo},
        {"tokenize", "tokenize text exactly as Hugging Face does (ids, tokens, byte offsets)", runTokenize},
        {"run", "run the model once and write its attention, logits and ids (safetensors)", runRun},
        {"generate", "generate text token by token", runGenerate},
        {"analyze", "run an analysis on a model or a saved attention file", runAnalyze},
        {"batch", "score every example of a corpus per head, with bootstrap intervals (corpus mode)", runBatch},
        {"merge", "combine the folders of sharded batch runs", runMerge},
        {"compare", "compare attention variants with the reference on one input (JSON)", runCompare},
        {"train-demo", "train a built-in demonstration model and write it with its model card", runTrainDemo},
        {"render", "draw a figure as the GUI exports it (PNG, SVG, PDF): model, head, lines, token, neuron, graph, rollout, charts, overlay", runRender, true},
    };
    return list;
}

} // namespace attnscope::cli
