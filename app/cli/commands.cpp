#include "app/cli/command.h"

namespace attnscope::cli {

int runTokenize(const QStringList &arguments);

// One line per subcommand; each function lives in app/cli/<name>.cpp.
const std::vector<Command> &commands()
{
    static const std::vector<Command> list = {
        {"tokenize", "tokenize text exactly as Hugging Face does (ids, tokens, byte offsets)", runTokenize},
    };
    return list;
}

} // namespace attnscope::cli
