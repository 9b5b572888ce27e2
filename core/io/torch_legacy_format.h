#pragma once
// The torch.save format before PyTorch 1.6 (still found in older pytorch_model.bin files):
// five pickles in a row (a magic number, protocol 1001, system info, the state_dict, the list
// of storage keys), then each storage as an 8-byte little-endian element count and its bytes.

#include <map>
#include <string>

#include "core/io/mapped_file.h"
#include "core/io/torch_pickle.h"

namespace attnscope {

bool isLegacyTorchFile(const MappedFile &file);

struct LegacyTorchFile {
    TorchPickle pickle;
    std::map<std::string, qint64> storageOffsets; // key → byte offset of its data in the file
};

// Throws InputError naming the file and the problem.
LegacyTorchFile readLegacyTorchFile(const MappedFile &file);

} // namespace attnscope
