#pragma once
// A pickle reader that never executes anything: it understands the data opcodes of pickle
// protocols 2–5 and hands every global, call (REDUCE), BUILD and persistent id to hooks,
// which accept only what they know and refuse the rest. Opcodes that instantiate classes
// (INST, OBJ, NEWOBJ, EXT…) are refused outright.

#include <QByteArrayView>
#include <QString>

#include "core/io/pickle_value.h"

namespace attnscope {

// Thrown by hooks to refuse something; the unpickler adds where it happened.
struct PickleRefusal {
    QString problem;
};

class PickleHooks {
public:
    virtual ~PickleHooks() = default;
    virtual PickleRef global(const std::string &module, const std::string &name) = 0;
    virtual PickleRef call(const PickleValue &callable, const PickleValue &args) = 0;
    virtual void build(PickleValue &target, const PickleValue &state) = 0;
    virtual PickleRef persistentLoad(const PickleValue &id) = 0;
};

// Hooks for pickles that may hold plain data only: every global, call and persistent id is refused.
class DataOnlyHooks : public PickleHooks {
public:
    PickleRef global(const std::string &module, const std::string &name) override;
    PickleRef call(const PickleValue &callable, const PickleValue &args) override;
    void build(PickleValue &target, const PickleValue &state) override;
    PickleRef persistentLoad(const PickleValue &id) override;
};

// Reads one pickle from the start of `bytes` (up to its STOP; `consumed` gets its length).
// Throws InputError(source, "<where> byte N: problem") on malformed or refused input.
PickleRef unpickle(QByteArrayView bytes, PickleHooks &hooks, const QString &source,
                   const QString &where, qint64 *consumed = nullptr);

} // namespace attnscope
