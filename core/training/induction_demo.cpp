#include "core/training/induction_demo.h"

#include <ATen/CPUGeneratorImpl.h>
#include <QDir>
#include <QJsonArray>
#include <torch/torch.h>

#include "core/analysis/analysis.h"
#include "core/analysis/analysis_registry.h"
#include "core/io/json_file.h"
#include "core/training/demo_tokenizer.h"

namespace attnscope {

namespace {

constexpr int kWidth = 64;
constexpr int kLayers = 2;
constexpr int kHeads = 2;
constexpr int kPositions = 128;
constexpr int kInner = 1; // GPT-2 layout needs an MLP; this one is zero
constexpr int kBos = 1;
constexpr int64_t kFirstOrdinaryId = 3; // after [PAD] [BOS] [UNK]

DemoVocabulary inductionVocabulary()
{
    DemoVocabulary vocabulary;
    vocabulary.specials = {QStringLiteral("[PAD]"), QStringLiteral("[BOS]"), QStringLiteral("[UNK]")};
    vocabulary.words = QStringLiteral(
        ". , ! ? ' \" : ; - ( ) "
        "the a an and or but if then so of to in on at by for with from as is are was were be been "
        "i you he she it we they me him her us them my your his its our their this that these those "
        "what who which when where why how all some no not one two three four five many more most "
        "very just only also too up down out over under again once here there now still even back "
        "do did done have has had will would can could shall should may might must say said go went "
        "come came see saw look looked make made take took give gave get got know knew think thought "
        "want like love play run ran walk sit sat eat ate sleep read write sing jump fly swim open "
        "cat cats dog dogs bird birds fish mouse house tree trees sun moon star sky sea river rain "
        "snow wind day night morning time year boy girl man woman child children mother father friend "
        "king queen teacher student book door window table chair bed ball box car ship road city "
        "little big small old new good bad happy sad red blue green yellow white black long short "
        "hot cold fast slow high low first last next every other same different "
        "mat hat apple water bread milk garden park school forest hill mountain island castle "
        "dragon robot rabbit fox bear lion owl frog horse cow sheep duck "
        "harry potter alice bob lily tom anna max sam").split(QLatin1Char(' '), Qt::SkipEmptyParts);
    return vocabulary;
}

QJsonObject inductionConfig(int64_t vocab)
{
    return {{QStringLiteral("model_type"), QStringLiteral("gpt2")},
            {QStringLiteral("architectures"), QJsonArray{QStringLiteral("GPT2LMHeadModel")}},
            {QStringLiteral("vocab_size"), qint64(vocab)},
            {QStringLiteral("n_embd"), kWidth},
            {QStringLiteral("n_layer"), kLayers},
            {QStringLiteral("n_head"), kHeads},
            {QStringLiteral("n_positions"), kPositions},
            {QStringLiteral("n_inner"), kInner},
            {QStringLiteral("activation_function"), QStringLiteral("gelu_new")},
            {QStringLiteral("layer_norm_epsilon"), 1e-5},
            {QStringLiteral("tie_word_embeddings"), true},
            {QStringLiteral("bos_token_id"), kBos},
            {QStringLiteral("eos_token_id"), kBos},
            {QStringLiteral("pad_token_id"), 0}};
}

void addGpt2Parameters(DemoCheckpoint &checkpoint, int64_t vocab)
{
    const int64_t d = kWidth;
    checkpoint.addNormal("transformer.wte.weight", {vocab, d}, 0.02);
    checkpoint.addNormal("transformer.wpe.weight", {kPositions, d}, 0.02);
    for (int64_t i = 0; i < kLayers; ++i) {
        const std::string at = "transformer.h." + std::to_string(i) + ".";
        const double projectionStd = 0.02 / std::sqrt(2.0 * double(kLayers)); // GPT-2's residual scaling
        checkpoint.addLayerNorm(at + "ln_1", d);
        checkpoint.addNormal(at + "attn.c_attn.weight", {d, 3 * d}, 0.02);
        checkpoint.addConstant(at + "attn.c_attn.bias", {3 * d}, 0);
        checkpoint.addNormal(at + "attn.c_proj.weight", {d, d}, projectionStd);
        checkpoint.addConstant(at + "attn.c_proj.bias", {d}, 0);
        checkpoint.addLayerNorm(at + "ln_2", d);
        // Attention-only, as the models of Olsson et al.: the (smallest) MLP is zero and frozen.
        checkpoint.addConstant(at + "mlp.c_fc.weight", {d, kInner}, 0, true);
        checkpoint.addConstant(at + "mlp.c_fc.bias", {kInner}, 0, true);
        checkpoint.addConstant(at + "mlp.c_proj.weight", {kInner, d}, 0, true);
        checkpoint.addConstant(at + "mlp.c_proj.bias", {d}, 0, true);
    }
    checkpoint.addLayerNorm("transformer.ln_f", d);
}

// [BOS], filler, a random segment, filler, the segment again, filler. The random lead and
// gap make positions useless: the repeat is predictable only by finding where the current
// token occurred before and copying what followed it. Half of the filler tokens repeat the
// token two back ("a b a"): predicting them needs the previous token, which rewards a
// previous-token head early, the first half of the induction circuit.
struct TrainingSequence {
    torch::Tensor ids;
    torch::Tensor weights; // per predicted position: the copy counts kCopyWeight times
};

constexpr double kCopyWeight = 4;

TrainingSequence repeatedSegment(torch::Generator &generator, int64_t vocab)
{
    const auto draw = [&](int64_t low, int64_t high) { return torch::randint(low, high, {1}, generator).item<int64_t>(); };
    const int64_t period = draw(6, 50);
    const int64_t room = kPositions - 1 - 2 * period; // for the lead and the gap
    const int64_t lead = draw(0, std::min<int64_t>(room, 24) + 1);
    const int64_t gap = draw(0, room - lead + 1);
    const torch::Tensor random = torch::randint(kFirstOrdinaryId, vocab, {kPositions}, generator, torch::kLong);
    const torch::Tensor coins = torch::rand({kPositions}, generator);
    std::vector<int64_t> ids(static_cast<size_t>(kPositions));
    ids[0] = kBos;
    for (int64_t t = 1; t < kPositions; ++t)
        ids[size_t(t)] = t >= 3 && coins[t].item<double>() < 0.5 ? ids[size_t(t - 2)] : random[t].item<int64_t>();
    const int64_t repeat = 1 + lead + period + gap;
    std::copy_n(ids.begin() + 1 + lead, period, ids.begin() + repeat);
    TrainingSequence sequence;
    sequence.ids = torch::tensor(ids, torch::kLong);
    sequence.weights = torch::ones({kPositions - 1});
    sequence.weights.narrow(0, repeat, period - 1).fill_(kCopyWeight); // logits at t predict t + 1
    return sequence;
}

AnalysisResult measureInduction(const Model &model)
{
    const Analysis *induction = findAnalysis(QStringLiteral("induction"));
    AnalysisContext context;
    context.model = &model;
    return induction->run(context, AnalysisOptions(induction->name(), induction->options(),
                                                    {{QStringLiteral("sequences"), QStringLiteral("32")},
                                                     {QStringLiteral("seed"), QStringLiteral("1")}}));
}

QString inductionFindings(const AnalysisResult &measured)
{
    const torch::Tensor induction = measured.tensors.at("induction");
    const torch::Tensor previous = measured.tensors.at("previous_token");
    const int64_t bestInduction = induction.argmax().item<int64_t>();
    const int64_t bestPrevious = previous.narrow(0, 0, 1).argmax().item<int64_t>();
    return QStringLiteral(
               "Measured with `attnscope-cli analyze MODEL --method induction --sequences 32 --seed 1` "
               "(50 random tokens repeated once after [BOS]):\n\n"
               "- induction head: layer %1, head %2, induction score %3 (uniform attention scores %4);\n"
               "- previous-token head: layer 0, head %5, previous-token score %6.\n")
        .arg(bestInduction / kHeads).arg(bestInduction % kHeads)
        .arg(induction.flatten()[bestInduction].item<double>(), 0, 'f', 3)
        .arg(measured.summary.value(QStringLiteral("uniform_induction")).toDouble(), 0, 'f', 3)
        .arg(bestPrevious)
        .arg(previous[0][bestPrevious].item<double>(), 0, 'f', 3);
}

QString inductionAbout()
{
    return QStringLiteral(
        "# induction: a 2-layer decoder that learned to copy\n\n"
        "A GPT-2-layout decoder (2 layers, 2 heads of 32 dimensions, width 64, %1 positions), attention-only like "
        "the models of Olsson et al. (its MLPs are zero), trained on random words after `[BOS]` "
        "in which a random segment of 6 to 49 words appears twice, at random places. (Half of the "
        "other words repeat the word two back, which rewards knowing the previous word early.) "
        "The only way to predict a repeat is to find where the current word occurred before and "
        "copy the word that followed it: the induction circuit of Olsson et al. (2022), "
        "\"In-context Learning and Induction Heads\".\n\n"
        "**What to look at.** Type a phrase twice, e.g. `the cat sat on the mat . the cat sat on "
        "the mat .` In layer 0, one head attends to the previous token (a line just below the "
        "diagonal in the head view). In layer 1, the induction head, on the second copy, attends "
        "to the token *after* the current token's first occurrence: a diagonal stripe offset by "
        "the period. Ablate it (variant `ablate@layers=1@heads=H`) and the copying breaks. The "
        "vocabulary is about 200 everyday words plus letters, so anything typed tokenizes.")
        .arg(kPositions);
}

} // namespace

DemoResult trainInductionDemo(const DemoRun &run)
{
    const DemoVocabulary vocabulary = inductionVocabulary();
    const int64_t vocab = vocabulary.tokens().size();
    DemoCheckpoint checkpoint(QStringLiteral("induction"), inductionConfig(vocab), run.seed);
    addGpt2Parameters(checkpoint, vocab);

    const TrainingSchedule schedule = demoSchedule(run, 5000, 2e-3, 2e-4);
    torch::Generator data = at::detail::createCPUGenerator(run.seed + 1);
    DemoResult result;
    result.finalLoss = train(checkpoint, schedule, [&](const Model &model, int64_t) {
        const TrainingSequence sequence = repeatedSegment(data, vocab);
        ModelInput input;
        input.inputIds = sequence.ids;
        input.differentiable = true;
        const torch::Tensor logits = model.forward(input, AttentionPlan(), nullptr);
        const torch::Tensor losses = torch::nn::functional::cross_entropy(
            logits.narrow(0, 0, kPositions - 1), sequence.ids.narrow(0, 1, kPositions - 1),
            torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kNone));
        return (losses * sequence.weights).sum() / sequence.weights.sum();
    }, run.observer);

    checkpoint.save(run.outDir);
    const QDir out(run.outDir);
    writeJsonFile(out.filePath(QStringLiteral("tokenizer.json")),
                  demoTokenizerJson(vocabulary, {QStringLiteral("[BOS]")}, {}));
    result.findings = inductionFindings(measureInduction(*checkpoint.build()));
    writeModelCard(run, QStringLiteral("induction"), inductionAbout(), schedule, result);
    return result;
}

} // namespace attnscope
