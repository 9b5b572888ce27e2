#include "app/cli/command.h"

namespace attnscope::cli {

// One line per subcommand; each function lives in app/cli/<name>.cpp.
const std::vector<Command> &commands()
{
    static const std::vector<Command> list = {
    };
    return list;
}

} // namespace attnscope::cli
