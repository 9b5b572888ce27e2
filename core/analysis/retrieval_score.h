#pragma once
// Retrieval score (Wu et al. 2024, "Retrieval Head Mechanistically Explains Long-Context
// Factuality"): while the model reproduces a needle hidden in a haystack, a head copies when
// its most attended key lies in the needle and holds the token just generated. The score is
// the share of needle tokens a head copied: |g_h ∩ needle| / |needle|.

#include <torch/types.h>

namespace attnscope {

// `rows` [L, H, G, S]: attention of the G queries that produced the tokens `generated` [G];
// `context` [S] the ids at the keys; the needle occupies keys [needleBegin, needleEnd).
// Returns [L, H] float64.
torch::Tensor retrievalScores(const torch::Tensor &rows, const torch::Tensor &context,
                              const torch::Tensor &generated, int64_t needleBegin, int64_t needleEnd);

// [BOS?] haystack[0, depth) needle haystack[depth, …) needle: the second needle is the
// teacher-forced answer. `depth` is a fraction of the haystack.
struct NeedleInput {
    torch::Tensor ids;          // [S]
    int64_t needleBegin = 0;    // first needle key
    int64_t answerBegin = 0;    // first answer token; query answerBegin − 1 + m produces answer token m
};
NeedleInput needleInHaystack(const torch::Tensor &haystack, const torch::Tensor &needle, double depth, bool keepFirst);

} // namespace attnscope
