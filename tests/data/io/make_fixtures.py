#!/usr/bin/python3
"""Writes the checkpoint fixtures of tests/core/io (run with /usr/bin/python3, torch 1.13).

tensors.bin        torch.save of an OrderedDict state_dict: every dtype, a parameter, a row
                   view (storage offset), a transposed view, a tied weight (the same tensor
                   twice) and a slice sharing the storage of another entry.
expected.safetensors the values a loader must return for tensors.bin, written here by hand:
                   contiguous, F16 upcast to F32, everything else in its own dtype.
zip64.bin          the same entries rewritten as a ZIP64 archive under another folder name,
                   without alignment padding (so tensors are misaligned in the file).
sharded/           pytorch_model.bin.index.json and two shards.
legacy.bin         the same state_dict in the torch.save format before PyTorch 1.6.
os_system.bin, builtins_eval.bin, unknown_opcode.bin, newobj.bin: zips whose data.pkl is
                   malicious or malformed.
handmade/*.bin     one tensor "w" over a storage of four floats 0, 1, 2, 3, pickled by hand:
                   valid.bin is w = [1, 2, 3]; the others each break one promise (a view past
                   its storage, a storage larger than its entry, a missing storage entry, a
                   storage type torch.save never writes).
"""
import collections
import json
import pathlib
import struct
import zipfile
import zlib

import torch

HERE = pathlib.Path(__file__).resolve().parent


def state_dict():
    torch.manual_seed(7)
    base = torch.randn(4, 3)
    tied = torch.randn(5, 2)
    tensors = collections.OrderedDict()
    tensors["f32"] = torch.randn(2, 3)
    tensors["f64"] = torch.randn(3, dtype=torch.float64)
    tensors["f16"] = torch.randn(2, 2).half()
    tensors["bf16"] = torch.randn(3, 2).bfloat16()
    tensors["i64"] = torch.tensor([-(2 ** 40), -1, 0, 1, 2 ** 62], dtype=torch.int64)
    tensors["i32"] = torch.tensor([-(2 ** 31), 7, 2 ** 31 - 1], dtype=torch.int32)
    tensors["i16"] = torch.tensor([-300, 300], dtype=torch.int16)
    tensors["i8"] = torch.tensor([-128, 0, 127], dtype=torch.int8)
    tensors["u8"] = torch.tensor([0, 128, 255], dtype=torch.uint8)
    tensors["bool"] = torch.tensor([True, False, True])
    tensors["scalar"] = torch.tensor(3.25)
    tensors["empty"] = torch.zeros(0, 4)
    tensors["parameter"] = torch.nn.Parameter(torch.randn(2, 2), requires_grad=False)
    tensors["base"] = base
    tensors["view.row"] = base[2]                 # storage offset 6
    tensors["view.transposed"] = base.t()         # strides (1, 3)
    tensors["view.column"] = base[1:, 1]          # offset 4, stride 3
    tensors["tied.embed"] = tied
    tensors["tied.lm_head"] = tied                # the same tensor twice
    tensors._metadata = collections.OrderedDict({"": {"version": 1}})
    return tensors


def expected_value(tensor):
    tensor = tensor.detach().contiguous()
    return tensor.float() if tensor.dtype == torch.float16 else tensor


SAFETENSORS_DTYPES = {torch.float64: "F64", torch.float32: "F32", torch.bfloat16: "BF16",
                      torch.int64: "I64", torch.int32: "I32", torch.int16: "I16",
                      torch.int8: "I8", torch.uint8: "U8", torch.bool: "BOOL"}


def raw_bytes(tensor):
    if tensor.dtype == torch.bfloat16:
        tensor = tensor.view(torch.int16)
    return tensor.numpy().tobytes()


def write_safetensors(path, tensors):
    header, data = {}, b""
    for name, tensor in tensors.items():
        chunk = raw_bytes(tensor)
        header[name] = {"dtype": SAFETENSORS_DTYPES[tensor.dtype], "shape": list(tensor.shape),
                        "data_offsets": [len(data), len(data) + len(chunk)]}
        data += chunk
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    path.write_bytes(struct.pack("<Q", len(text)) + text + data)


def write_zip(path, entries, zip64=False):
    """Stored entries, no alignment padding; ZIP64 extra fields and end records when asked."""
    out, central = bytearray(), bytearray()
    for name, data in entries:
        name = name.encode()
        crc, offset, size = zlib.crc32(data), len(out), len(data)
        small = 0xFFFFFFFF if zip64 else size
        local_extra = struct.pack("<HHQQ", 1, 16, size, size) if zip64 else b""
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 45, 0, 0, 0, 0, crc, small, small,
                           len(name), len(local_extra)) + name + local_extra + data
        central_extra = struct.pack("<HHQQQ", 1, 24, size, size, offset) if zip64 else b""
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45, 0, 0, 0, 0, crc, small,
                               small, len(name), len(central_extra), 0, 0, 0, 0,
                               0xFFFFFFFF if zip64 else offset) + name + central_extra
    directory_offset = len(out)
    out += central
    count = len(entries)
    if zip64:
        record = len(out)
        out += struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, count, count,
                           len(central), directory_offset)
        out += struct.pack("<IIQI", 0x07064B50, 0, record, 1)
        out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF,
                           0xFFFFFFFF, 0)
    else:
        out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(central),
                           directory_offset, 0)
    path.write_bytes(bytes(out))


def zip_entries(path):
    with zipfile.ZipFile(path) as archive:
        return [(info.filename, archive.read(info.filename)) for info in archive.infolist()]


def main():
    tensors = state_dict()
    torch.save(tensors, HERE / "tensors.bin")
    write_safetensors(HERE / "expected.safetensors",
                      collections.OrderedDict((k, expected_value(v)) for k, v in tensors.items()))

    renamed = [("renamed_folder/" + name.split("/", 1)[1], data)
               for name, data in zip_entries(HERE / "tensors.bin")]
    write_zip(HERE / "zip64.bin", renamed, zip64=True)

    sharded = HERE / "sharded"
    sharded.mkdir(exist_ok=True)
    names = list(tensors)
    shards = {"pytorch_model-00001-of-00002.bin": names[:7], "pytorch_model-00002-of-00002.bin": names[7:]}
    weight_map = {}
    for shard, shard_names in shards.items():
        torch.save(collections.OrderedDict((n, tensors[n]) for n in shard_names), sharded / shard)
        weight_map.update({n: shard for n in shard_names})
    (sharded / "pytorch_model.bin.index.json").write_text(
        json.dumps({"metadata": {"total_size": 0}, "weight_map": weight_map}, indent=2) + "\n")

    torch.save(tensors, HERE / "legacy.bin", _use_new_zipfile_serialization=False)

    # Malicious or malformed data.pkl files (protocol 2, as torch.save writes).
    system_call = b"\x80\x02cos\nsystem\nq\x00X\x04\x00\x00\x00trueq\x01\x85q\x02Rq\x03."
    eval_call = b"\x80\x02cbuiltins\neval\nX\x06\x00\x00\x00'pwn'1\x85R."
    unknown = b"\x80\x02}q\x00\xff."
    newobj = b"\x80\x02ccollections\nOrderedDict\n)\x81."
    for name, pickle in [("os_system", system_call), ("builtins_eval", eval_call),
                         ("unknown_opcode", unknown), ("newobj", newobj)]:
        write_zip(HERE / f"{name}.bin", [(f"{name}/data.pkl", pickle), (f"{name}/version", b"3\n")])
    write_handmade()


def handmade_pickle(numel=4, offset=1, size=3, stride=1, storage=b"FloatStorage", key=b"0"):
    """{'w': _rebuild_tensor_v2(storage, offset, (size,), (stride,), False, OrderedDict())}"""
    def text(value):
        return b"X" + struct.pack("<I", len(value)) + value
    return (b"\x80\x02ccollections\nOrderedDict\n)R(" + text(b"w")
            + b"ctorch._utils\n_rebuild_tensor_v2\n((" + text(b"storage")
            + b"ctorch\n" + storage + b"\n" + text(key) + text(b"cpu") + b"K" + bytes([numel])
            + b"tQK" + bytes([offset]) + b"K" + bytes([size]) + b"\x85K" + bytes([stride])
            + b"\x85\x89ccollections\nOrderedDict\n)RtRu.")


def write_handmade():
    folder = HERE / "handmade"
    folder.mkdir(exist_ok=True)
    storage = struct.pack("<4f", 0, 1, 2, 3)
    cases = {"valid": {}, "view_past_storage": {"offset": 2}, "storage_larger_than_entry": {"numel": 8},
             "storage_entry_missing": {"key": b"7"},
             "complex_storage": {"storage": b"ComplexFloatStorage"}}
    for name, arguments in cases.items():
        write_zip(folder / f"{name}.bin", [("archive/data.pkl", handmade_pickle(**arguments)),
                                           ("archive/data/0", storage), ("archive/version", b"3\n")])


if __name__ == "__main__":
    main()
