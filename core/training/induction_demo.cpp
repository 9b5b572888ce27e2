#include "core/training/induction_demo.h"

#include <ATen/CPUGeneratorImpl.h>
#include <QDir>
#include <QJsonArray>
#include <torch/torch.h>

#include "core/analysis/analysis.h"
#include "core/analysis/analysis_registry.h"
#include "core/analysis/induction_score.h"
#include "core/io/json_file.h"
#include "core/training/demo_tokenizer.h"

namespace attnscope {

namespace {

constexpr int kWidth = 128; // 2 heads of 64: narrower heads attend less sharply
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

// [BOS] and a random segment of kShortestPeriod…kLongestPeriod words, said twice: the
// sequences the induction score measures on, with every period. Only the second copy (from
// its second word) is scored: the rest is unpredictable noise that would drown the copying
// signal. Predicting it takes the induction circuit: a previous-token head in layer 0 (which
// word came before each key) and an induction head in layer 1 that matches it against the
// current word and copies the word it finds.
constexpr int64_t kShortestPeriod = 10;
constexpr int64_t kLongestPeriod = (kPositions - 1) / 2;

torch::Tensor repeatedSegment(torch::Generator &generator, int64_t vocab)
{
    const int64_t period = torch::randint(kShortestPeriod, kLongestPeriod + 1, {1}, generator).item<int64_t>();
    const torch::Tensor segment = torch::randint(kFirstOrdinaryId, vocab, {period}, generator, torch::kLong);
    return torch::cat({torch::full({1}, kBos, torch::kLong), segment, segment});
}

// The loss on the second copy's words 2…period, predicted from the words before them.
torch::Tensor secondCopyLoss(const Model &model, const torch::Tensor &ids)
{
    const int64_t period = (ids.size(0) - 1) / 2;
    ModelInput input;
    input.inputIds = ids;
    input.differentiable = true;
    return copyLoss(model.forward(input, AttentionPlan(), nullptr), ids, 1 + period, period);
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
    QStringList layerOne;
    for (int64_t head = 0; head < kHeads; ++head)
        layerOne << QStringLiteral("head %1 %2").arg(head).arg(induction[1][head].item<double>(), 0, 'f', 3);
    const int64_t bestPrevious = previous[0].argmax().item<int64_t>();
    return QStringLiteral(
               "Measured with `attnscope-cli analyze MODEL --method induction --sequences 32 --seed 1` "
               "(50 random tokens repeated once after [BOS]):\n\n"
               "- induction scores in layer 1: %1 (uniform attention scores %2);\n"
               "- previous-token head: layer 0, head %3, previous-token score %4.\n")
        .arg(layerOne.join(QStringLiteral(", ")))
        .arg(measured.summary.value(QStringLiteral("uniform_induction")).toDouble(), 0, 'f', 3)
        .arg(bestPrevious)
        .arg(previous[0][bestPrevious].item<double>(), 0, 'f', 3);
}

QString inductionAbout()
{
    return QStringLiteral(
        "# induction: a 2-layer decoder that learned to copy\n\n"
        "A GPT-2-layout decoder (2 layers, 2 heads of 64 dimensions, width 128, %1 positions), "
        "attention-only like the models of Olsson et al. (its MLPs are zero), trained on `[BOS]` "
        "and a segment of %2 to %3 random words said twice, scored only on the second copy. The "
        "only way to predict it is to find where the current word occurred before and copy the "
        "word that followed it: the induction circuit of Olsson et al. (2022), \"In-context "
        "Learning and Induction Heads\". It copies as well when other words come before the first "
        "copy or between the copies, which it never saw in training.\n\n"
        "**What to look at.** Type a phrase twice, e.g. `the cat sat on the mat . the cat sat on "
        "the mat .` In layer 0, the previous-token head (below) attends to the previous token: a "
        "line just below the diagonal in the head view. In layer 1, both heads are induction "
        "heads: on the second copy, each attends to the token *after* the current token's first "
        "occurrence, a diagonal stripe one period back. They are redundant: ablate one and the "
        "other still copies; ablate both (variant `ablate@layers=1`) or the previous-token head "
        "(`ablate@layers=0@heads=H`) and the copying breaks. The vocabulary is about 270 everyday "
        "words plus letters, so anything typed tokenizes.")
        .arg(kPositions).arg(kShortestPeriod).arg(kLongestPeriod);
}

} // namespace

DemoResult trainInductionDemo(const DemoRun &run)
{
    const DemoVocabulary vocabulary = inductionVocabulary();
    const int64_t vocab = vocabulary.tokens().size();
    DemoCheckpoint checkpoint(QStringLiteral("induction"), inductionConfig(vocab), run.seed);
    addGpt2Parameters(checkpoint, vocab);

    TrainingSchedule schedule = demoSchedule(run, 2000, 3e-3, 1e-4);
    schedule.batch = 32; // as prototyped: 2000 such steps reach induction scores near 0.98
    torch::Generator data = at::detail::createCPUGenerator(run.seed + 1);
    DemoResult result;
    result.finalLoss = train(checkpoint, schedule, [&](const Model &model, int64_t) {
        return secondCopyLoss(model, repeatedSegment(data, vocab));
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
