// The safe unpickler on its own: Python's own pickles of plain data (protocols 2–4) read
// back exactly, shared references, deep nesting without a crash, and one clear error for
// each malformed or refused pickle.
#include <QTest>

#include "core/io/safe_unpickler.h"
#include "core/io/io_test_support.h"

using namespace attnscope;

namespace {
using Kind = PickleValue::Kind;

// A Python-like rendering, to compare whole values at once.
QString render(const PickleValue &value)
{
    auto join = [](const std::vector<PickleRef> &items, int step) {
        QStringList parts;
        for (size_t i = 0; i < items.size(); i += step)
            parts << (step == 2 ? render(*items[i]) + ": " + render(*items[i + 1]) : render(*items[i]));
        return parts.join(", ");
    };
    switch (value.kind) {
    case Kind::None: return "None";
    case Kind::Bool: return value.integer ? "True" : "False";
    case Kind::Int: return QString::number(value.integer);
    case Kind::Float: return QString::number(value.real, 'g', 17);
    case Kind::Text: return "'" + QString::fromStdString(value.text) + "'";
    case Kind::Bytes: return "b'" + QByteArray::fromStdString(value.text).toHex() + "'";
    case Kind::Tuple: return "(" + join(value.items, 1) + ")";
    case Kind::List: return "[" + join(value.items, 1) + "]";
    case Kind::Dict: return "{" + join(value.items, 2) + "}";
    default: return "?";
    }
}

PickleRef read(const QByteArray &bytes)
{
    DataOnlyHooks hooks;
    return unpickle(bytes, hooks, "test.pkl", "pickle");
}
} // namespace

class TestSafeUnpickler : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // Made by Python 3.11: pickle.dumps(value, protocol=p).hex().
    void readsPythonsPickles_data()
    {
        QTest::addColumn<QByteArray>("hex");
        QTest::addColumn<QString>("expected");
        const QString dict = "{'int': 7, 'neg': -5, 'big': 1099511627776, 'negbig': -4611686018427387904, "
                             "'float': 0.10000000000000001, 's': 'h\u00e9llo', 'list': [1, [2, 300]], "
                             "'tuple': (1, 2, 3, 4), 'flags': (True, False, None), 'shared': ([5], [5])}";
        QTest::newRow("protocol 2") << QByteArray(
            "80027d7100285803000000696e7471014b0758030000006e656771024afbffffff580300000062696771038a0600000000000158060000006e656762696771048a0800000000000000c05805000000666c6f61747105473fb999999999999a5801000000737106580600000068c3a96c6c6f710758040000006c69737471085d7109284b015d710a284b024d2c01656558050000007475706c65710b284b014b024b034b0474710c5805000000666c616773710d88894e87710e5806000000736861726564710f5d71104b05616810867111752e")
                                    << dict;
        QTest::newRow("protocol 4 (frames, memoize)") << QByteArray(
            "8004959f000000000000007d94288c03696e74944b078c036e6567944afbffffff8c03626967948a060000000000018c066e6567626967948a0800000000000000c08c05666c6f617494473fb999999999999a8c0173948c0668c3a96c6c6f948c046c697374945d94284b015d94284b024d2c0165658c057475706c6594284b014b024b034b0474948c05666c6167739488894e87948c06736861726564945d944b056168108694752e")
                                                      << dict;
        QTest::newRow("protocol 3 bytes") << QByteArray("8003430200ff71002e") << "b'00ff'";
    }
    void readsPythonsPickles()
    {
        QFETCH(QByteArray, hex);
        QFETCH(QString, expected);
        QCOMPARE(render(*read(QByteArray::fromHex(hex))), expected);
    }

    void sharedReferencesStayShared()
    {
        const PickleRef root = read(QByteArray::fromHex("80027d7100285806000000736861726564710f5d71104b05616810867111752e"));
        const PickleValue &pair = *root->items[1];
        QCOMPARE(pair.items[0].get(), pair.items[1].get());
    }

    void deepNestingNeitherCrashesNorRecurses()
    {
        const int depth = 1'000'000;
        const QByteArray bytes = QByteArray("\x80\x02") + QByteArray(depth, ']') + QByteArray(depth - 1, 'a') + ".";
        const PickleRef root = read(bytes);
        QCOMPARE(root->items.size(), size_t(1));
    }

    void reportsTheConsumedLength()
    {
        DataOnlyHooks hooks;
        qint64 consumed = 0;
        unpickle(QByteArray::fromHex("80024de9032e") + "trailing", hooks, "f", "w", &consumed);
        QCOMPARE(consumed, 6);
    }

    void badPicklesFailWithOneClearLine_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("problem");
        QTest::newRow("empty") << QByteArray() << "pickle byte 0: truncated: needs 1 more bytes, 0 left";
        QTest::newRow("no STOP") << QByteArray("\x80\x02K\x01") << "truncated";
        QTest::newRow("STOP on empty stack") << QByteArray("\x80\x02.") << "STOP with an empty stack";
        QTest::newRow("protocol 6") << QByteArray("\x80\x06N.") << "pickle protocol 6 is not supported";
        QTest::newRow("global") << QByteArray("\x80\x02" "cposix\nsystem\n.") << "pickle byte 2: refuses global 'posix.system'";
        QTest::newRow("stack global") << QByteArray("\x8c\x02os\x8c\x06system\x93.") << "refuses global 'os.system'";
        QTest::newRow("global without end of line") << QByteArray("cos") << "has no end of line";
        QTest::newRow("REDUCE on data") << QByteArray("K\x01)R.") << "REDUCE where only plain data belongs";
        QTest::newRow("REDUCE without a tuple") << QByteArray("K\x01K\x02R.") << "REDUCE with arguments that are not a tuple";
        QTest::newRow("BUILD") << QByteArray("}}b.") << "BUILD where only plain data belongs";
        QTest::newRow("persistent id") << QByteArray("NQ.") << "a persistent id where only plain data belongs";
        QTest::newRow("INST") << QByteArray("(ios\nsystem\n.") << "unsupported pickle opcode 0x69 ('i')";
        QTest::newRow("OBJ") << QByteArray("(o.") << "unsupported pickle opcode 0x6f ('o')";
        QTest::newRow("EXT1") << QByteArray("\x82\x01.") << "unsupported pickle opcode 0x82";
        QTest::newRow("APPEND to a tuple") << QByteArray(")K\x01" "a.") << "APPEND on a tuple";
        QTest::newRow("SETITEM on a list") << QByteArray("]K\x01K\x02s.") << "SETITEM on a list";
        QTest::newRow("odd SETITEMS") << QByteArray("}(K\x01u.") << "SETITEMS with an odd number of values";
        QTest::newRow("missing MARK") << QByteArray("K\x01t.") << "needs a MARK that is not there";
        QTest::newRow("pop below the MARK") << QByteArray("K\x01(\x85.") << "needs a value but the stack is empty";
        QTest::newRow("unknown memo") << QByteArray("h\x05.") << "refers to memo entry 5, which was never stored";
        QTest::newRow("string longer than the pickle") << QByteArray("X\xff\xff\xff\x7f" "abc.") << "needs 2147483647 more bytes";
        QTest::newRow("integer wider than 64 bits") << QByteArray("\x8a\x09" "123456789.") << "an integer wider than 64 bits";
        QTest::newRow("unknown opcode") << QByteArray("\x80\x02\xff.") << "pickle byte 2: unsupported pickle opcode 0xff";
    }
    void badPicklesFailWithOneClearLine()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, problem);
        ATTNSCOPE_VERIFY_INPUT_ERROR(read(bytes), "test.pkl", problem);
    }
};

QTEST_GUILESS_MAIN(TestSafeUnpickler)
#include "test_safe_unpickler.moc"
