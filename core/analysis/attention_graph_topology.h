#pragma once
// Topology of one head's thresholded attention graph, as in "Acceptability Judgements via
// Examining the Topology of Attention Maps" (Cherniavskii et al. 2022). The graph is the
// undirected simple graph on the T tokens with an edge {i, j}, i ≠ j, when A[i, j] ≥ threshold
// or A[j, i] ≥ threshold (and that weight is positive): self-attention is no edge and the two
// directions make one edge. Its readouts:
//   edges       E, the number of such pairs;
//   components  C, connected components, isolated tokens included (Betti number β0);
//   cycles      independent cycles, the first Betti number β1 = E − V + C (V = T): how many
//               edges a spanning forest leaves out, not the count of all simple cycles.

#include <torch/types.h>

namespace attnscope {

struct GraphTopology {
    int64_t vertices = 0;
    int64_t edges = 0;
    int64_t components = 0;
    int64_t cycles = 0;
};

// head: [T, T] attention of one head. Throws InputError when it is not square.
GraphTopology headGraphTopology(const torch::Tensor &head, double threshold);

} // namespace attnscope
