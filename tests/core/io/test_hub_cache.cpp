// The hub-cache scan on a fake cache tree laid out like the real one: snapshot files are
// relative symlinks into blobs/, refs/ name the commits.

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "core/io/hub_cache.h"

using namespace attnscope;

namespace {

void writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes);
}

// Adds blobs/<blob> holding `bytes` (unless empty: a dangling link) and links
// snapshots/<commit>/<name> to it the way huggingface_hub does.
void addLinkedFile(const QString &repoDir, const QString &commit, const QString &name,
                   const QString &blob, const QByteArray &bytes)
{
    if (!bytes.isEmpty())
        writeFile(repoDir + QStringLiteral("/blobs/") + blob, bytes);
    const QString link = QStringLiteral("%1/snapshots/%2/%3").arg(repoDir, commit, name);
    QDir().mkpath(QFileInfo(link).path());
    QVERIFY(QFile::link(QStringLiteral("../../blobs/") + blob, link));
}

const QByteArray kBertConfig = R"({"model_type": "bert", "architectures": ["BertForMaskedLM"]})";
const QByteArray kGpt2Config = R"({"model_type": "gpt2", "architectures": ["GPT2LMHeadModel"]})";

const HubModel *find(const QVector<HubModel> &models, const QString &repoId, const QString &rev)
{
    for (const HubModel &model : models)
        if (model.repoId == repoId && model.revision == rev)
            return &model;
    return nullptr;
}

} // namespace

class TestHubCache : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_root.isValid());
        const QString cache = m_root.filePath(QStringLiteral("hub"));
        const QString bert = cache + QStringLiteral("/models--google--tiny-bert");
        const QByteArray weights(1000, 'w');
        addLinkedFile(bert, QStringLiteral("c0ffee"), QStringLiteral("config.json"),
                      QStringLiteral("b1"), kBertConfig);
        addLinkedFile(bert, QStringLiteral("c0ffee"), QStringLiteral("model.safetensors"),
                      QStringLiteral("b2"), weights);
        // An older revision sharing the config blob.
        addLinkedFile(bert, QStringLiteral("0ld"), QStringLiteral("config.json"),
                      QStringLiteral("b1"), kBertConfig);
        writeFile(bert + QStringLiteral("/refs/main"), "c0ffee\n");

        // No organisation, plain files, a pull-request ref and a nested file.
        const QString gpt2 = cache + QStringLiteral("/models--gpt2");
        writeFile(gpt2 + QStringLiteral("/snapshots/abc/config.json"), kGpt2Config);
        writeFile(gpt2 + QStringLiteral("/snapshots/abc/onnx/model.onnx"), QByteArray(10, 'x'));
        writeFile(gpt2 + QStringLiteral("/refs/main"), "abc");
        writeFile(gpt2 + QStringLiteral("/refs/pr/1"), "abc");

        // One blob under two names counts once.
        const QString twins = cache + QStringLiteral("/models--org--twins");
        addLinkedFile(twins, QStringLiteral("t1"), QStringLiteral("config.json"),
                      QStringLiteral("c"), kGpt2Config);
        addLinkedFile(twins, QStringLiteral("t1"), QStringLiteral("a.bin"),
                      QStringLiteral("same"), QByteArray(500, 'a'));
        addLinkedFile(twins, QStringLiteral("t1"), QStringLiteral("b.bin"),
                      QStringLiteral("same"), QByteArray(500, 'a'));

        writeFile(cache + QStringLiteral("/models--org--tokenizer-only/snapshots/t/tokenizer.json"),
                  "{}");
        writeFile(cache + QStringLiteral("/models--org--broken/snapshots/r/config.json"), "{oops");
        writeFile(cache + QStringLiteral("/models--org--untyped/snapshots/r/config.json"), "{}");
        const QString partial = cache + QStringLiteral("/models--org--partial");
        addLinkedFile(partial, QStringLiteral("p"), QStringLiteral("config.json"),
                      QStringLiteral("c"), kBertConfig);
        addLinkedFile(partial, QStringLiteral("p"), QStringLiteral("model.safetensors"),
                      QStringLiteral("never-downloaded"), QByteArray());

        writeFile(cache + QStringLiteral("/datasets--org--data/snapshots/d/config.json"),
                  kBertConfig);
        writeFile(cache + QStringLiteral("/version.txt"), "1");
        m_models = scanHubCache(cache);
    }

    void listsModelReposOnly()
    {
        QStringList ids;
        for (const HubModel &model : m_models)
            ids << model.repoId;
        const QStringList expected = {
            QStringLiteral("google/tiny-bert"), QStringLiteral("google/tiny-bert"),
            QStringLiteral("gpt2"), QStringLiteral("org/broken"), QStringLiteral("org/partial"),
            QStringLiteral("org/tokenizer-only"), QStringLiteral("org/twins"),
            QStringLiteral("org/untyped")};
        QCOMPARE(ids, expected);
    }

    void resolvesMainSnapshotFirst()
    {
        QCOMPARE(m_models[0].revision, QStringLiteral("c0ffee"));
        QCOMPARE(m_models[0].refs, QStringList{QStringLiteral("main")});
        QCOMPARE(m_models[1].revision, QStringLiteral("0ld"));
        QVERIFY(m_models[1].refs.isEmpty());
        const HubModel *gpt2 = find(m_models, QStringLiteral("gpt2"), QStringLiteral("abc"));
        QVERIFY(gpt2);
        QStringList refs = gpt2->refs;
        refs.sort();
        QCOMPARE(refs, (QStringList{QStringLiteral("main"), QStringLiteral("pr/1")}));
    }

    void readsArchitectureFromConfig()
    {
        const HubModel &bert = m_models[0];
        QCOMPARE(bert.modelType, QStringLiteral("bert"));
        QCOMPARE(bert.architectures, QStringList{QStringLiteral("BertForMaskedLM")});
        QVERIFY(bert.problem.isEmpty());
        QVERIFY(QFileInfo::exists(bert.path + QStringLiteral("/config.json")));
        QVERIFY(bert.path.endsWith(QStringLiteral("models--google--tiny-bert/snapshots/c0ffee")));
    }

    void sumsRealFileSizes()
    {
        QCOMPARE(m_models[0].sizeBytes, qint64(kBertConfig.size() + 1000));
        QCOMPARE(m_models[1].sizeBytes, qint64(kBertConfig.size()));
        const HubModel *gpt2 = find(m_models, QStringLiteral("gpt2"), QStringLiteral("abc"));
        QCOMPARE(gpt2->sizeBytes, qint64(kGpt2Config.size() + 10));
        const HubModel *twins = find(m_models, QStringLiteral("org/twins"), QStringLiteral("t1"));
        QCOMPARE(twins->sizeBytes, qint64(kGpt2Config.size() + 500));
    }

    void explainsWhatCannotBeOpened_data()
    {
        QTest::addColumn<QString>("repoId");
        QTest::addColumn<QString>("problem");
        QTest::newRow("no config") << QStringLiteral("org/tokenizer-only") << QStringLiteral("no config.json");
        QTest::newRow("bad json") << QStringLiteral("org/broken") << QStringLiteral("config.json: is not valid JSON");
        QTest::newRow("no model_type") << QStringLiteral("org/untyped") << QStringLiteral("'model_type' is missing");
        QTest::newRow("dangling link") << QStringLiteral("org/partial") << QStringLiteral("incomplete download: 1 file");
    }

    void explainsWhatCannotBeOpened()
    {
        QFETCH(QString, repoId);
        QFETCH(QString, problem);
        const auto it = std::find_if(m_models.begin(), m_models.end(),
                                     [&](const HubModel &m) { return m.repoId == repoId; });
        QVERIFY(it != m_models.end());
        QVERIFY2(it->problem.contains(problem), qPrintable(it->problem));
    }

    void countsMissingFiles()
    {
        const HubModel *partial = find(m_models, QStringLiteral("org/partial"), QStringLiteral("p"));
        QCOMPARE(partial->missingFiles, 1);
        QCOMPARE(partial->modelType, QStringLiteral("bert"));
    }

    void emptyOrAbsentCacheGivesNothing()
    {
        QVERIFY(scanHubCache(m_root.filePath(QStringLiteral("nowhere"))).isEmpty());
        QVERIFY(scanHubCache(m_root.filePath(QStringLiteral("hub/models--gpt2/refs"))).isEmpty());
    }

    void namesSnapshotFolders_data()
    {
        QTest::addColumn<QString>("dir");
        QTest::addColumn<QString>("repoId");
        QTest::newRow("snapshot") << QStringLiteral("/c/models--org--m/snapshots/abc") << QStringLiteral("org/m");
        QTest::newRow("trailing slash") << QStringLiteral("/c/models--gpt2/snapshots/abc/") << QStringLiteral("gpt2");
        QTest::newRow("plain folder") << QStringLiteral("/home/me/models/bert") << QString();
        QTest::newRow("dataset") << QStringLiteral("/c/datasets--o--d/snapshots/abc") << QString();
        QTest::newRow("repo folder") << QStringLiteral("/c/models--org--m") << QString();
    }

    void namesSnapshotFolders()
    {
        QFETCH(QString, dir);
        QFETCH(QString, repoId);
        QCOMPARE(hubRepoIdOf(dir), repoId);
    }

    void cacheDirsFollowEnvironment()
    {
        const QString hub = m_root.filePath(QStringLiteral("hub"));
        const QString home = m_root.filePath(QStringLiteral("hfhome"));
        const QString xdg = m_root.filePath(QStringLiteral("xdg"));
        QVERIFY(QDir().mkpath(home + QStringLiteral("/hub")));
        QVERIFY(QDir().mkpath(xdg + QStringLiteral("/huggingface/hub")));
        qputenv("HF_HUB_CACHE", hub.toUtf8());
        qputenv("HUGGINGFACE_HUB_CACHE", hub.toUtf8()); // same folder: listed once
        qputenv("TRANSFORMERS_CACHE", m_root.filePath(QStringLiteral("absent")).toUtf8());
        qputenv("HF_HOME", home.toUtf8());
        qputenv("XDG_CACHE_HOME", xdg.toUtf8());
        const QStringList expected = {hub, home + QStringLiteral("/hub"),
                                      xdg + QStringLiteral("/huggingface/hub")};
        QCOMPARE(hubCacheDirs(), expected);
        QCOMPARE(scanHubCaches().size(), m_models.size());

        qunsetenv("HF_HUB_CACHE");
        qunsetenv("HUGGINGFACE_HUB_CACHE");
        qunsetenv("TRANSFORMERS_CACHE");
        qunsetenv("HF_HOME");
        QCOMPARE(hubCacheDirs(), QStringList{xdg + QStringLiteral("/huggingface/hub")});
        qunsetenv("XDG_CACHE_HOME");
    }

private:
    QTemporaryDir m_root;
    QVector<HubModel> m_models;
};

QTEST_GUILESS_MAIN(TestHubCache)
#include "test_hub_cache.moc"
