#pragma once
// The published 256-entry tables behind the perceptually uniform colormaps, one file each
// (colormap_table_<name>.cpp), RGB in [0, 1] exactly as their authors published them.

#include <array>

namespace attnscope::colormap_tables {

using Table = std::array<std::array<float, 3>, 256>;

extern const Table viridis;
extern const Table magma;
extern const Table inferno;
extern const Table cividis;

} // namespace attnscope::colormap_tables
