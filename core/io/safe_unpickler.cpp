#include "core/io/safe_unpickler.h"

#include <cstring>
#include <unordered_map>

#include <QtEndian>

#include "core/io/input_error.h"

namespace attnscope {

namespace {
using Kind = PickleValue::Kind;

enum Opcode : uchar {
    MARK = '(', STOP = '.', POP = '0', POP_MARK = '1', DUP = '2', BINFLOAT = 'G', BININT = 'J',
    BININT1 = 'K', BININT2 = 'M', NONE = 'N', BINPERSID = 'Q', REDUCE = 'R', BINSTRING = 'T',
    SHORT_BINSTRING = 'U', BINUNICODE = 'X', APPEND = 'a', BUILD = 'b', GLOBAL = 'c', DICT = 'd',
    APPENDS = 'e', BINGET = 'h', LONG_BINGET = 'j', LIST = 'l', BINPUT = 'q', LONG_BINPUT = 'r',
    SETITEM = 's', TUPLE = 't', SETITEMS = 'u', EMPTY_DICT = '}', EMPTY_LIST = ']',
    EMPTY_TUPLE = ')', PROTO = 0x80, TUPLE1 = 0x85, TUPLE2 = 0x86, TUPLE3 = 0x87,
    NEWTRUE = 0x88, NEWFALSE = 0x89, LONG1 = 0x8a, LONG4 = 0x8b, BINBYTES = 'B',
    SHORT_BINBYTES = 'C', SHORT_BINUNICODE = 0x8c, BINUNICODE8 = 0x8d, BINBYTES8 = 0x8e,
    STACK_GLOBAL = 0x93, MEMOIZE = 0x94, FRAME = 0x95,
};

// Every value pushed (new or a reference) and every MARK counts: a state_dict pickle of
// thousands of tensors pushes some hundred thousand; 2 million, at ~150 bytes each, keeps a
// hostile pickle of Nones or empty lists well under a gigabyte.
constexpr qint64 kMaxPushes = 2'000'000;
constexpr size_t kMaxMemoEntries = 1'000'000;

class Machine {
public:
    Machine(QByteArrayView bytes, PickleHooks &hooks) : m_bytes(bytes), m_hooks(hooks) {}

    PickleRef run()
    {
        for (;;) {
            m_opcodeAt = m_at;
            const uchar op = take(1)[0];
            if (op == STOP) {
                if (m_stack.empty())
                    refuse(QStringLiteral("STOP with an empty stack"));
                return m_stack.back();
            }
            step(op);
        }
    }
    qint64 opcodeAt() const { return m_opcodeAt; }
    qint64 consumed() const { return m_at; }

private:
    [[noreturn]] static void refuse(const QString &problem) { throw PickleRefusal{problem}; }

    const uchar *take(qint64 count)
    {
        if (count < 0 || count > m_bytes.size() - m_at)
            refuse(QStringLiteral("truncated: needs %1 more bytes, %2 left").arg(count).arg(m_bytes.size() - m_at));
        const uchar *data = reinterpret_cast<const uchar *>(m_bytes.constData()) + m_at;
        m_at += count;
        return data;
    }
    template <typename T>
    T takeLittle() { return qFromLittleEndian<T>(take(sizeof(T))); }
    std::string takeString(qint64 count)
    {
        const uchar *data = take(count);
        return std::string(reinterpret_cast<const char *>(data), size_t(count));
    }
    std::string takeLine()
    {
        const qsizetype end = m_bytes.indexOf('\n', m_at);
        if (end < 0)
            refuse(QStringLiteral("truncated: a GLOBAL name has no end of line"));
        std::string line = takeString(end - m_at);
        take(1);
        return line;
    }

    void count()
    {
        if (++m_pushes > kMaxPushes)
            refuse(QStringLiteral("holds more than %1 values, far more than any checkpoint pickle").arg(kMaxPushes));
    }
    void push(PickleRef value)
    {
        count();
        m_stack.push_back(std::move(value));
    }
    PickleRef pop()
    {
        topRef();
        PickleRef value = std::move(m_stack.back());
        m_stack.pop_back();
        return value;
    }
    // The top of the stack above the innermost MARK, as Python's unpickler sees it.
    const PickleRef &topRef()
    {
        if (m_stack.size() <= (m_marks.empty() ? 0 : m_marks.back()))
            refuse(QStringLiteral("needs a value but the stack is empty"));
        return m_stack.back();
    }
    PickleValue &top() { return *topRef(); }
    std::vector<PickleRef> popMark()
    {
        if (m_marks.empty())
            refuse(QStringLiteral("needs a MARK that is not there"));
        const size_t mark = m_marks.back();
        m_marks.pop_back();
        std::vector<PickleRef> items(std::make_move_iterator(m_stack.begin() + qsizetype(mark)),
                                     std::make_move_iterator(m_stack.end()));
        m_stack.resize(mark);
        return items;
    }

    PickleRef value(Kind kind, int64_t integer = 0)
    {
        PickleRef made = PickleValue::make(kind);
        made->integer = integer;
        return made;
    }
    PickleRef text(Kind kind, std::string content)
    {
        PickleRef made = PickleValue::make(kind);
        made->text = std::move(content);
        return made;
    }
    PickleRef tuple(std::vector<PickleRef> items)
    {
        PickleRef made = PickleValue::make(Kind::Tuple);
        made->items = std::move(items);
        return made;
    }
    PickleValue &container(Kind kind, const char *opcode)
    {
        PickleValue &target = top();
        if (!target.is(kind))
            refuse(QStringLiteral("%1 on a %2").arg(QLatin1String(opcode), QLatin1String(kindName(target.kind))));
        return target;
    }
    void addItems(PickleValue &dict, std::vector<PickleRef> &&pairs)
    {
        if (pairs.size() % 2)
            refuse(QStringLiteral("SETITEMS with an odd number of values"));
        for (PickleRef &item : pairs)
            dict.items.push_back(std::move(item));
    }
    int64_t littleSigned(qint64 count)
    {
        if (count > 8)
            refuse(QStringLiteral("an integer wider than 64 bits"));
        const uchar *data = take(count);
        uint64_t bits = 0;
        for (qint64 i = count; i-- > 0;)
            bits = (bits << 8) | data[i];
        if (count > 0 && count < 8 && (data[count - 1] & 0x80))
            bits |= ~uint64_t(0) << (8 * count); // sign-extend
        return int64_t(bits);
    }
    void memoize(uint64_t id)
    {
        if (m_memo.size() >= kMaxMemoEntries && !m_memo.count(id))
            refuse(QStringLiteral("memoizes more than %1 values").arg(kMaxMemoEntries));
        m_memo[id] = topRef();
    }
    void recall(uint64_t id)
    {
        const auto it = m_memo.find(id);
        if (it == m_memo.end())
            refuse(QStringLiteral("refers to memo entry %1, which was never stored").arg(id));
        push(it->second);
    }

    void step(uchar op)
    {
        switch (op) {
        case PROTO: {
            const int protocol = take(1)[0];
            if (protocol > 5)
                refuse(QStringLiteral("pickle protocol %1 is not supported").arg(protocol));
            return;
        }
        case FRAME: take(8); return;
        case MARK: count(); m_marks.push_back(m_stack.size()); return;
        case POP: pop(); return;
        case POP_MARK: popMark(); return;
        case DUP: push(topRef()); return;
        case NONE: push(value(Kind::None)); return;
        case NEWTRUE: push(value(Kind::Bool, 1)); return;
        case NEWFALSE: push(value(Kind::Bool, 0)); return;
        case BININT: push(value(Kind::Int, takeLittle<qint32>())); return;
        case BININT1: push(value(Kind::Int, take(1)[0])); return;
        case BININT2: push(value(Kind::Int, takeLittle<quint16>())); return;
        case LONG1: push(value(Kind::Int, littleSigned(take(1)[0]))); return;
        case LONG4: push(value(Kind::Int, littleSigned(takeLittle<quint32>()))); return;
        case BINFLOAT: {
            const quint64 bits = qFromBigEndian<quint64>(take(8));
            PickleRef made = value(Kind::Float);
            std::memcpy(&made->real, &bits, 8);
            push(made);
            return;
        }
        case SHORT_BINUNICODE: push(text(Kind::Text, takeString(take(1)[0]))); return;
        case BINUNICODE: push(text(Kind::Text, takeString(takeLittle<quint32>()))); return;
        case BINUNICODE8: push(text(Kind::Text, takeString(qint64(std::min<quint64>(takeLittle<quint64>(), quint64(m_bytes.size())))))); return;
        case SHORT_BINSTRING: push(text(Kind::Text, takeString(take(1)[0]))); return;
        case BINSTRING: push(text(Kind::Text, takeString(takeLittle<qint32>()))); return;
        case SHORT_BINBYTES: push(text(Kind::Bytes, takeString(take(1)[0]))); return;
        case BINBYTES: push(text(Kind::Bytes, takeString(takeLittle<quint32>()))); return;
        case BINBYTES8: push(text(Kind::Bytes, takeString(qint64(std::min<quint64>(takeLittle<quint64>(), quint64(m_bytes.size())))))); return;
        case EMPTY_TUPLE: push(tuple({})); return;
        case TUPLE: push(tuple(popMark())); return;
        case TUPLE1: { PickleRef a = pop(); push(tuple({a})); return; }
        case TUPLE2: { PickleRef b = pop(), a = pop(); push(tuple({a, b})); return; }
        case TUPLE3: { PickleRef c = pop(), b = pop(), a = pop(); push(tuple({a, b, c})); return; }
        case EMPTY_LIST: push(value(Kind::List)); return;
        case LIST: { PickleRef list = value(Kind::List); list->items = popMark(); push(list); return; }
        case APPEND: { PickleRef item = pop(); container(Kind::List, "APPEND").items.push_back(item); return; }
        case APPENDS: {
            std::vector<PickleRef> items = popMark();
            PickleValue &list = container(Kind::List, "APPENDS");
            for (PickleRef &item : items)
                list.items.push_back(std::move(item));
            return;
        }
        case EMPTY_DICT: push(value(Kind::Dict)); return;
        case DICT: { PickleRef dict = value(Kind::Dict); addItems(*dict, popMark()); push(dict); return; }
        case SETITEM: { PickleRef v = pop(), k = pop(); addItems(container(Kind::Dict, "SETITEM"), {k, v}); return; }
        case SETITEMS: { std::vector<PickleRef> pairs = popMark(); addItems(container(Kind::Dict, "SETITEMS"), std::move(pairs)); return; }
        case BINPUT: memoize(take(1)[0]); return;
        case LONG_BINPUT: memoize(takeLittle<quint32>()); return;
        case MEMOIZE: memoize(m_memo.size()); return;
        case BINGET: recall(take(1)[0]); return;
        case LONG_BINGET: recall(takeLittle<quint32>()); return;
        case GLOBAL: {
            const std::string module = takeLine();
            push(m_hooks.global(module, takeLine()));
            return;
        }
        case STACK_GLOBAL: {
            PickleRef name = pop(), module = pop();
            if (!name->is(Kind::Text) || !module->is(Kind::Text))
                refuse(QStringLiteral("STACK_GLOBAL needs two strings"));
            push(m_hooks.global(module->text, name->text));
            return;
        }
        case REDUCE: {
            PickleRef args = pop(), callable = pop();
            if (!args->is(Kind::Tuple))
                refuse(QStringLiteral("REDUCE with arguments that are not a tuple"));
            push(m_hooks.call(*callable, *args));
            return;
        }
        case BUILD: { PickleRef state = pop(); m_hooks.build(top(), *state); return; }
        case BINPERSID: { PickleRef id = pop(); push(m_hooks.persistentLoad(*id)); return; }
        default:
            refuse(QStringLiteral("unsupported pickle opcode 0x%1%2")
                       .arg(op, 2, 16, QLatin1Char('0'))
                       .arg(op >= 0x20 && op < 0x7f ? QStringLiteral(" ('%1')").arg(QChar(op)) : QString()));
        }
    }

    QByteArrayView m_bytes;
    PickleHooks &m_hooks;
    qint64 m_at = 0, m_opcodeAt = 0, m_pushes = 0;
    std::vector<PickleRef> m_stack;
    std::vector<size_t> m_marks;
    std::unordered_map<uint64_t, PickleRef> m_memo;
};
} // namespace

PickleRef DataOnlyHooks::global(const std::string &module, const std::string &name)
{
    throw PickleRefusal{QStringLiteral("refuses global '%1' where only plain data belongs")
                            .arg(QString::fromStdString(module + "." + name))};
}

PickleRef DataOnlyHooks::call(const PickleValue &, const PickleValue &)
{
    throw PickleRefusal{QStringLiteral("REDUCE where only plain data belongs")};
}

void DataOnlyHooks::build(PickleValue &, const PickleValue &)
{
    throw PickleRefusal{QStringLiteral("BUILD where only plain data belongs")};
}

PickleRef DataOnlyHooks::persistentLoad(const PickleValue &)
{
    throw PickleRefusal{QStringLiteral("a persistent id where only plain data belongs")};
}

PickleRef unpickle(QByteArrayView bytes, PickleHooks &hooks, const QString &source, const QString &where,
                   qint64 *consumed)
{
    Machine machine(bytes, hooks);
    try {
        PickleRef result = machine.run();
        if (consumed)
            *consumed = machine.consumed();
        return result;
    } catch (const PickleRefusal &refusal) {
        throw InputError(source, QStringLiteral("%1 byte %2: %3").arg(where).arg(machine.opcodeAt()).arg(refusal.problem));
    }
}

} // namespace attnscope
