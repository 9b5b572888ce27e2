#pragma once
// Resident memory of this process from /proc/self/status, and a reset of its peak, for the
// test and the benchmark that check a checkpoint loads without a copy of its data.

#include <fstream>
#include <string>

namespace attnscope::testing {

// A field of /proc/self/status ("VmRSS", "VmHWM") in MiB; 0 when absent.
inline double statusMiB(const std::string &field)
{
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind(field + ":", 0) == 0)
            return std::stod(line.substr(field.size() + 1)) / 1024.0;
    return 0;
}

// Restarts VmHWM at the current VmRSS (Linux ≥ 4.0); false when the kernel refuses.
inline bool resetPeakRss()
{
    std::ofstream clear("/proc/self/clear_refs");
    clear << "5";
    clear.flush();
    return bool(clear);
}

} // namespace attnscope::testing
