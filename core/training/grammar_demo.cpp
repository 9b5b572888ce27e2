#include "core/training/grammar_demo.h"

#include <ATen/CPUGeneratorImpl.h>
#include <QDir>
#include <QJsonArray>
#include <torch/torch.h>

#include "core/analysis/model_run.h"
#include "core/io/json_file.h"
#include "core/models/bert.h"
#include "core/training/demo_tokenizer.h"

namespace attnscope {

namespace {

constexpr int kWidth = 64;
constexpr int kLayers = 3;
constexpr int kHeads = 4;
constexpr int kPositions = 64;
constexpr int kMaskId = 4; // [PAD] [UNK] [CLS] [SEP] [MASK]

struct NumberedWord {
    const char *singular;
    const char *plural;
};

const std::vector<NumberedWord> kNouns = {
    {"dog", "dogs"}, {"cat", "cats"}, {"bird", "birds"}, {"child", "children"}, {"teacher", "teachers"},
    {"king", "kings"}, {"farmer", "farmers"}, {"robot", "robots"}, {"fox", "foxes"}, {"girl", "girls"},
    {"boy", "boys"}, {"doctor", "doctors"}};
const std::vector<NumberedWord> kIntransitive = {
    {"runs", "run"}, {"sleeps", "sleep"}, {"sings", "sing"}, {"laughs", "laugh"}, {"waits", "wait"},
    {"smiles", "smile"}, {"falls", "fall"}, {"dances", "dance"}};
const std::vector<NumberedWord> kTransitive = {
    {"sees", "see"}, {"chases", "chase"}, {"likes", "like"}, {"helps", "help"}, {"finds", "find"},
    {"follows", "follow"}, {"knows", "know"}, {"calls", "call"}};
const std::vector<NumberedWord> kDeterminers = {{"the", "the"}, {"a", "some"}, {"this", "these"}, {"every", "many"}};
const QStringList kAdjectives = {QStringLiteral("big"), QStringLiteral("small"), QStringLiteral("old"),
                                 QStringLiteral("happy"), QStringLiteral("red"), QStringLiteral("clever")};
const std::vector<std::pair<const char *, const char *>> kBrackets = {{"(", ")"}, {"[", "]"}};

DemoVocabulary grammarVocabulary()
{
    DemoVocabulary vocabulary;
    vocabulary.specials = {QStringLiteral("[PAD]"), QStringLiteral("[UNK]"), QStringLiteral("[CLS]"),
                           QStringLiteral("[SEP]"), QStringLiteral("[MASK]")};
    QStringList words{QStringLiteral("."), QStringLiteral("that")};
    for (const auto &[open, close] : kBrackets)
        words << QLatin1String(open) << QLatin1String(close);
    for (const auto *list : {&kNouns, &kIntransitive, &kTransitive, &kDeterminers})
        for (const NumberedWord &word : *list)
            for (const char *form : {word.singular, word.plural})
                if (!words.contains(QLatin1String(form)))
                    words << QLatin1String(form);
    vocabulary.words = words + kAdjectives;
    return vocabulary;
}

// Builds sentences word by word, remembering which noun each verb agrees with.
class SentenceBuilder {
public:
    explicit SentenceBuilder(torch::Generator &generator) : m_generator(generator) {}

    int uniform(int n) { return int(torch::randint(0, n, {1}, m_generator).item<int64_t>()); }
    bool chance(double p) { return torch::rand({1}, m_generator).item<double>() < p; }

    // Appends a noun phrase of the given number; returns the index of its head noun.
    int nounPhrase(bool plural, int depth, int attractorNumber = -1)
    {
        const NumberedWord &det = kDeterminers[size_t(uniform(int(kDeterminers.size())))];
        add(QLatin1String(plural ? det.plural : det.singular));
        if (chance(0.3))
            add(kAdjectives[uniform(int(kAdjectives.size()))]);
        const NumberedWord &noun = kNouns[size_t(uniform(int(kNouns.size())))];
        const int head = add(QLatin1String(plural ? noun.plural : noun.singular));
        if (attractorNumber >= 0 || (depth < 2 && chance(depth == 0 ? 0.6 : 0.25)))
            relativeClause(head, plural, depth + 1, attractorNumber);
        return head;
    }

    // "that V NP" (the head noun is the subject) or "that NP V" (the inner noun is),
    // sometimes in brackets.
    void relativeClause(int head, bool plural, int depth, int attractorNumber)
    {
        const bool bracketed = chance(0.4);
        const auto &bracket = kBrackets[size_t(uniform(int(kBrackets.size())))];
        if (bracketed)
            add(QLatin1String(bracket.first));
        add(QStringLiteral("that"));
        const bool innerPlural = attractorNumber >= 0 ? bool(attractorNumber) : chance(0.5);
        if (attractorNumber >= 0 || chance(0.6)) {
            const int inner = nounPhrase(innerPlural, depth);
            verb(kTransitive, inner, innerPlural);
        } else {
            verb(kTransitive, head, plural);
            nounPhrase(innerPlural, depth);
        }
        if (bracketed)
            add(QLatin1String(bracket.second));
    }

    int verb(const std::vector<NumberedWord> &verbs, int subject, bool plural)
    {
        const NumberedWord &chosen = verbs[size_t(uniform(int(verbs.size())))];
        const int index = add(QLatin1String(plural ? chosen.plural : chosen.singular));
        m_sentence.subjectOf[size_t(index)] = subject;
        return index;
    }

    int add(const QString &word)
    {
        m_sentence.words << word;
        m_sentence.subjectOf.push_back(-1);
        return int(m_sentence.words.size()) - 1;
    }

    GrammarSentence &sentence() { return m_sentence; }

private:
    torch::Generator &m_generator;
    GrammarSentence m_sentence;
};

QJsonObject grammarConfig(int64_t vocab)
{
    return {{QStringLiteral("model_type"), QStringLiteral("bert")},
            {QStringLiteral("architectures"), QJsonArray{QStringLiteral("BertForMaskedLM")}},
            {QStringLiteral("vocab_size"), qint64(vocab)},
            {QStringLiteral("hidden_size"), kWidth},
            {QStringLiteral("num_hidden_layers"), kLayers},
            {QStringLiteral("num_attention_heads"), kHeads},
            {QStringLiteral("intermediate_size"), 4 * kWidth},
            {QStringLiteral("hidden_act"), QStringLiteral("gelu")},
            {QStringLiteral("max_position_embeddings"), kPositions},
            {QStringLiteral("type_vocab_size"), 2},
            {QStringLiteral("layer_norm_eps"), 1e-12},
            {QStringLiteral("pad_token_id"), 0}};
}

void addBertParameters(DemoCheckpoint &checkpoint, int64_t vocab)
{
    checkpoint.addNormal("bert.embeddings.word_embeddings.weight", {vocab, kWidth}, 0.02);
    checkpoint.addNormal("bert.embeddings.position_embeddings.weight", {kPositions, kWidth}, 0.02);
    checkpoint.addNormal("bert.embeddings.token_type_embeddings.weight", {2, kWidth}, 0.02);
    checkpoint.addLayerNorm("bert.embeddings.LayerNorm", kWidth);
    checkpoint.addEncoderLayers("bert.encoder.layer.", bertLayerNames(), kLayers, kWidth, 4 * kWidth);
    checkpoint.addLinear("cls.predictions.transform.dense", kWidth, kWidth);
    checkpoint.addLayerNorm("cls.predictions.transform.LayerNorm", kWidth);
    checkpoint.addConstant("cls.predictions.bias", {vocab}, 0);
}

// [CLS] words [SEP] as ids.
torch::Tensor sentenceIds(const GrammarSentence &sentence, const QStringList &tokens)
{
    std::vector<int64_t> ids{tokens.indexOf(QStringLiteral("[CLS]"))};
    for (const QString &word : sentence.words)
        ids.push_back(tokens.indexOf(word));
    ids.push_back(tokens.indexOf(QStringLiteral("[SEP]")));
    return torch::tensor(ids, torch::kLong);
}

// BERT's masking: 15% of the words (verbs 35%, so agreement is practised), of which 80%
// become [MASK], 10% a random word and 10% stay; the loss is on the chosen ones only.
torch::Tensor maskedLmLoss(const Model &model, const GrammarSentence &sentence, const QStringList &tokens,
                           torch::Generator &generator)
{
    const torch::Tensor ids = sentenceIds(sentence, tokens);
    torch::Tensor input = ids.clone();
    std::vector<int64_t> chosen;
    for (int i = 0; i < sentence.words.size(); ++i) {
        const double rate = sentence.subjectOf[size_t(i)] >= 0 ? 0.35 : 0.15;
        if (torch::rand({1}, generator).item<double>() >= rate)
            continue;
        chosen.push_back(i + 1);
        const double how = torch::rand({1}, generator).item<double>();
        if (how < 0.8)
            input[i + 1] = kMaskId;
        else if (how < 0.9)
            input[i + 1] = torch::randint(kMaskId + 1, tokens.size(), {1}, generator).item<int64_t>();
    }
    if (chosen.empty()) { // every sentence teaches something: its main verb
        chosen.push_back(sentence.mainVerb + 1);
        input[sentence.mainVerb + 1] = kMaskId;
    }
    ModelInput modelInput;
    modelInput.inputIds = input;
    modelInput.differentiable = true;
    const torch::Tensor positions = torch::tensor(chosen, torch::kLong);
    const torch::Tensor logits = model.forward(modelInput, AttentionPlan(), nullptr).index_select(0, positions);
    return torch::nn::functional::cross_entropy(logits, ids.index_select(0, positions));
}

} // namespace

AgreementMeasure measureAgreement(const Model &model, uint64_t seed, int sentences)
{
    const QStringList tokens = grammarVocabulary().tokens();
    torch::Generator generator = at::detail::createCPUGenerator(seed);
    AgreementMeasure measure;
    torch::Tensor attentionSum = torch::zeros({kLayers, kHeads});
    int correct = 0;
    for (int s = 0; s < sentences; ++s) {
        const GrammarSentence sentence = randomGrammarSentence(generator, true);
        const int verb = sentence.mainVerb + 1;
        const int subject = sentence.subjectOf[size_t(sentence.mainVerb)] + 1;
        ModelInput input;
        input.inputIds = sentenceIds(sentence, tokens);
        const torch::Tensor attention = runWithAttention(model, input).attention;
        attentionSum += attention.select(2, verb).select(2, subject);
        measure.uniform += 1.0 / double(input.inputIds.size(0)) / sentences;
        input.inputIds[verb] = kMaskId;
        const torch::Tensor logits = model.forward(input, AttentionPlan(), nullptr)[verb];
        const int64_t right = tokens.indexOf(sentence.words[sentence.mainVerb]);
        const int64_t wrong = tokens.indexOf(otherNumberForm(sentence.words[sentence.mainVerb]));
        correct += logits[right].item<double>() > logits[wrong].item<double>();
    }
    measure.accuracy = double(correct) / sentences;
    const torch::Tensor mean = attentionSum / double(sentences);
    const int64_t best = mean.argmax().item<int64_t>();
    measure.bestLayer = int(best / kHeads);
    measure.bestHead = int(best % kHeads);
    measure.verbToSubject = mean.flatten()[best].item<double>();
    return measure;
}

namespace {

QString grammarFindings(const AgreementMeasure &measure, int sentences)
{
    return QStringLiteral(
               "On %1 fresh sentences whose main subject is separated from its verb by a relative "
               "clause with a noun of the other number (an attractor):\n\n"
               "- agreement: with the main verb masked, the model scores the right number higher in "
               "%2% of sentences;\n"
               "- verb → subject head: layer %3, head %4 puts on average %5 of the main verb's "
               "attention on its subject noun (uniform attention: %6).\n")
        .arg(sentences).arg(100.0 * measure.accuracy, 0, 'f', 1).arg(measure.bestLayer).arg(measure.bestHead)
        .arg(measure.verbToSubject, 0, 'f', 3).arg(measure.uniform, 0, 'f', 3);
}

QString grammarAbout()
{
    return QStringLiteral(
        "# grammar: a masked language model that learned agreement\n\n"
        "A BERT-layout masked language model (3 layers, 4 heads, width 64) trained on sentences "
        "of a small English-like grammar: determiners, adjectives, 12 nouns, 16 verbs in singular "
        "and plural, relative clauses nested two deep (`that` + verb + object, or `that` + "
        "subject + verb), sometimes in round or square brackets. Every verb agrees in number "
        "with its subject, however far away. 15% of the words are masked (verbs 35%).\n\n"
        "**What to look at.** Open the sample `the dogs that the cat sees run .` and select the "
        "main verb `run`: the verb → subject head named below attends to `dogs`, skipping the "
        "closer singular `cat`. Replace `run` by `[MASK]` and the model still prefers `run` to "
        "`runs`. Heads in layer 1 link a verb to the subject of its own clause (`dances` → "
        "`girl` in `a happy girl ( that the farmers like ) dances .`). Brackets: select a closing bracket and see which heads find its opening one.");
}

} // namespace

GrammarSentence randomGrammarSentence(torch::Generator &generator, bool attractor)
{
    SentenceBuilder builder(generator);
    const bool plural = builder.chance(0.5);
    const int subject = builder.nounPhrase(plural, 0, attractor ? int(!plural) : -1);
    const bool transitive = builder.chance(0.5);
    const int verb = builder.verb(transitive ? kTransitive : kIntransitive, subject, plural);
    if (transitive)
        builder.nounPhrase(builder.chance(0.5), 1);
    builder.add(QStringLiteral("."));
    GrammarSentence sentence = builder.sentence();
    sentence.mainVerb = verb;
    sentence.plural = plural;
    sentence.hasAttractor = attractor;
    return sentence;
}

QString otherNumberForm(const QString &verb)
{
    for (const auto *list : {&kIntransitive, &kTransitive})
        for (const NumberedWord &word : *list) {
            if (verb == QLatin1String(word.singular))
                return QLatin1String(word.plural);
            if (verb == QLatin1String(word.plural))
                return QLatin1String(word.singular);
        }
    return verb;
}

DemoResult trainGrammarDemo(const DemoRun &run)
{
    const DemoVocabulary vocabulary = grammarVocabulary();
    const QStringList tokens = vocabulary.tokens();
    DemoCheckpoint checkpoint(QStringLiteral("grammar"), grammarConfig(tokens.size()), run.seed);
    addBertParameters(checkpoint, tokens.size());

    const TrainingSchedule schedule = demoSchedule(run, 3000, 2e-3, 1e-4);
    torch::Generator data = at::detail::createCPUGenerator(run.seed + 1);
    DemoResult result;
    result.finalLoss = train(checkpoint, schedule, [&](const Model &model, int64_t) {
        return maskedLmLoss(model, randomGrammarSentence(data), tokens, data);
    }, run.observer);

    checkpoint.save(run.outDir);
    writeJsonFile(QDir(run.outDir).filePath(QStringLiteral("tokenizer.json")),
                  demoTokenizerJson(vocabulary, {QStringLiteral("[CLS]")}, {QStringLiteral("[SEP]")}));
    constexpr int kMeasured = 400;
    result.findings = grammarFindings(measureAgreement(*checkpoint.build(), run.seed + 7, kMeasured), kMeasured);
    writeModelCard(run, QStringLiteral("grammar"), grammarAbout(), schedule, result);
    return result;
}

} // namespace attnscope
