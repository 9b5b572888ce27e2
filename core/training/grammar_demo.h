#pragma once
// The "grammar" demo: a small BERT-style masked language model trained on a synthetic
// English-like grammar whose verbs agree in number with their subjects across relative
// clauses ("the dogs that the cat sees run"), clauses that may sit in nested brackets.
// Predicting a masked verb needs its subject, so a head learns to link verbs to subjects.

#include <QStringList>
#include <torch/types.h>

#include "core/training/demo_run.h"

namespace attnscope {

// One sentence of the grammar: its words and, for every word that is a verb, the index of
// its subject's head noun (−1 for other words). Word i is token i + 1 after [CLS].
struct GrammarSentence {
    QStringList words;
    std::vector<int> subjectOf;
    int mainVerb = -1;
    bool plural = false;       // the main subject's number
    bool hasAttractor = false; // a noun of the other number between subject and main verb
};

// A random sentence; `attractor` forces a relative clause whose noun differs in number.
GrammarSentence randomGrammarSentence(torch::Generator &generator, bool attractor = false);

// The main verb's form with the other number ("runs" ↔ "run").
QString otherNumberForm(const QString &verb);

// Measured on `sentences` fresh sentences with an attractor (a relative-clause noun of the
// other number between the main subject and its verb).
struct AgreementMeasure {
    double accuracy = 0;      // with the main verb masked, the right number scores higher
    int bestLayer = 0, bestHead = 0;
    double verbToSubject = 0; // that head's mean attention from the main verb to its subject
    double uniform = 0;       // what uniform attention would give
};
AgreementMeasure measureAgreement(const Model &model, uint64_t seed, int sentences);

DemoResult trainGrammarDemo(const DemoRun &run);

} // namespace attnscope
