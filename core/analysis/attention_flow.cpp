#include "core/analysis/attention_flow.h"

#include <thread>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/push_relabel_max_flow.hpp>
#include <torch/torch.h>

#include "core/analysis/analysis_registry.h"
#include "core/analysis/attention_tensor.h"
#include "core/io/input_error.h"

namespace attnscope {

namespace {

using Traits = boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
using FlowGraph = boost::adjacency_list<
    boost::vecS, boost::vecS, boost::directedS, boost::no_property,
    boost::property<boost::edge_capacity_t, double,
                    boost::property<boost::edge_residual_capacity_t, double,
                                    boost::property<boost::edge_reverse_t, Traits::edge_descriptor>>>>;

// The layered graph seen from one output token: node (layer l, token t) is l·T + t, layer 0
// the inputs and layer L the outputs. Only nodes the output reaches through positive
// capacities get edges, so causal models and discarded weights shrink the graph.
class LayeredGraph {
public:
    LayeredGraph(const torch::Tensor &capacities, int64_t output)
        : m_tokens(capacities.size(1)), m_layers(capacities.size(0)),
          m_graph(static_cast<size_t>((m_layers + 1) * m_tokens))
    {
        std::vector<char> reached(static_cast<size_t>(m_tokens), 0);
        reached[static_cast<size_t>(output)] = 1;
        for (int64_t layer = m_layers - 1; layer >= 0; --layer) {
            const torch::Tensor matrix = capacities[layer].contiguous();
            const double *weights = matrix.data_ptr<double>();
            std::vector<char> next(static_cast<size_t>(m_tokens), 0);
            for (int64_t from = 0; from < m_tokens; ++from) {
                if (!reached[static_cast<size_t>(from)])
                    continue;
                for (int64_t to = 0; to < m_tokens; ++to) {
                    const double capacity = weights[from * m_tokens + to];
                    if (capacity <= 0)
                        continue;
                    addEdge(node(layer + 1, from), node(layer, to), capacity);
                    next[static_cast<size_t>(to)] = 1;
                }
            }
            reached.swap(next);
        }
    }

    double maxFlow(int64_t output, int64_t input)
    {
        return boost::push_relabel_max_flow(m_graph, node(m_layers, output), node(0, input));
    }

private:
    size_t node(int64_t layer, int64_t token) const { return static_cast<size_t>(layer * m_tokens + token); }

    void addEdge(size_t from, size_t to, double capacity)
    {
        auto capacityMap = boost::get(boost::edge_capacity, m_graph);
        auto reverseMap = boost::get(boost::edge_reverse, m_graph);
        const auto forward = boost::add_edge(from, to, m_graph).first;
        const auto backward = boost::add_edge(to, from, m_graph).first;
        capacityMap[forward] = capacity;
        capacityMap[backward] = 0;
        reverseMap[forward] = backward;
        reverseMap[backward] = forward;
    }

    int64_t m_tokens;
    int64_t m_layers;
    FlowGraph m_graph;
};

// Runs solve(input) for every input token on `threads` threads, each with its own graph.
void forEachInput(const torch::Tensor &capacities, int64_t output, int threads, double *out)
{
    const int64_t tokens = capacities.size(1);
    const int count = std::max(1, std::min<int>(threads, int(tokens)));
    std::vector<std::thread> workers;
    std::exception_ptr failure;
    std::mutex failureLock;
    for (int worker = 0; worker < count; ++worker)
        workers.emplace_back([&, worker] {
            try {
                LayeredGraph graph(capacities, output);
                for (int64_t input = worker; input < tokens; input += count)
                    out[input] = graph.maxFlow(output, input);
            } catch (...) {
                const std::lock_guard<std::mutex> lock(failureLock);
                failure = std::current_exception();
            }
        });
    for (std::thread &thread : workers)
        thread.join();
    if (failure)
        std::rethrow_exception(failure);
}

torch::Tensor checkedCapacities(const torch::Tensor &capacities)
{
    if (!capacities.defined() || capacities.dim() != 3 || capacities.size(1) != capacities.size(2)
        || capacities.numel() == 0)
        throw InputError(QStringLiteral("attention flow"), QStringLiteral("capacities must be [layers, T, T]"));
    return capacities.to(torch::kFloat64).contiguous();
}

} // namespace

torch::Tensor attentionFlowFrom(const torch::Tensor &capacities, int64_t output, int threads)
{
    const torch::Tensor checked = checkedCapacities(capacities);
    checkIndex(output, checked.size(1), QStringLiteral("attention flow output token"));
    torch::Tensor flow = torch::zeros({checked.size(1)}, torch::kFloat64);
    forEachInput(checked, output, threads, flow.data_ptr<double>());
    return flow;
}

torch::Tensor attentionFlowMatrix(const torch::Tensor &capacities, int threads)
{
    const torch::Tensor checked = checkedCapacities(capacities);
    std::vector<torch::Tensor> rows;
    for (int64_t output = 0; output < checked.size(1); ++output)
        rows.push_back(attentionFlowFrom(checked, output, threads));
    return torch::stack(rows);
}

namespace {

// Max-flow solves × edges of each layered graph: T solves (or T² with --all-tokens) over
// L·T² edges. Around 1e10 is already half a minute or more; the T = 400 all-tokens run of
// issue #28 (1.3e11) went past 300 s. Refused before the first solve, with the estimate.
constexpr double kMaxFlowWork = 1e10;

void checkFlowWork(const torch::Tensor &capacities, bool allTokens)
{
    const double layers = double(capacities.size(0)), tokens = double(capacities.size(1));
    const double work = (allTokens ? tokens * tokens : tokens) * layers * tokens * tokens;
    if (work > kMaxFlowWork)
        throw InputError(QStringLiteral("input"),
                         QStringLiteral("attention flow over %1 tokens and %2 layers%3 needs about %4 max-flow steps, "
                                        "more than the %5 allowed; give fewer tokens, a --start-layer%6")
                             .arg(capacities.size(1)).arg(capacities.size(0))
                             .arg(allTokens ? QStringLiteral(" for every output token") : QString())
                             .arg(work, 0, 'g', 2).arg(kMaxFlowWork, 0, 'g', 2)
                             .arg(allTokens ? QStringLiteral(" or one --token instead of --all-tokens") : QString()));
}

class AttentionFlowAnalysis : public Analysis {
public:
    QString name() const override { return QStringLiteral("flow"); }
    QString description() const override
    {
        return QStringLiteral("Attention flow: max-flow from an output token to each input token through the layers (Abnar & Zuidema 2020)");
    }
    std::vector<AnalysisOption> options() const override
    {
        return {integerOption(QStringLiteral("token"), -1, -1, 1 << 30,
                              QStringLiteral("output token whose flow is computed; -1 = the last one")),
                flagOption(QStringLiteral("all-tokens"), QStringLiteral("compute every output token (T² max-flow solves)")),
                headFusionOption(),
                integerOption(QStringLiteral("start-layer"), 0, 0, 1 << 16, QStringLiteral("first layer of the graph"))};
    }
    AnalysisResult run(const AnalysisContext &context, const AnalysisOptions &options) const override
    {
        RolloutSettings settings;
        settings.fusion = headFusionOf(options);
        settings.startLayer = options.integer(QStringLiteral("start-layer"));
        const torch::Tensor capacities = rolloutLayerMatrices(contextAttention(context), settings);
        AnalysisResult result;
        const auto normalized = [](const torch::Tensor &flow) {
            const torch::Tensor sums = flow.sum(-1, true);
            return flow / torch::where(sums > 0, sums, torch::ones_like(sums));
        };
        checkFlowWork(capacities, options.flag(QStringLiteral("all-tokens")));
        if (options.flag(QStringLiteral("all-tokens"))) {
            result.tensors["flow"] = attentionFlowMatrix(capacities);
        } else {
            int64_t token = options.integer(QStringLiteral("token"));
            if (token < 0)
                token = capacities.size(1) - 1;
            result.tensors["flow"] = attentionFlowFrom(capacities, token);
            result.summary[QStringLiteral("token")] = qint64(token);
        }
        // Abnar & Zuidema's code divides each output token's flows by their sum.
        result.tensors["flow_normalized"] = normalized(result.tensors["flow"]);
        return result;
    }
};

} // namespace

std::unique_ptr<Analysis> attentionFlowAnalysis() { return std::make_unique<AttentionFlowAnalysis>(); }

} // namespace attnscope
