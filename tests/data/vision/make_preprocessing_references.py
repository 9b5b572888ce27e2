#!/usr/bin/python3
"""Reference pixel values for tests/viz/test_image_preprocessing.cpp.

Applies the Hugging Face image-processor formula (PIL resize, centre crop, rescale, normalize;
transformers.image_transforms) to images drawn by the same integer formula the C++ test uses,
and writes the [3, H, W] float32 results to preprocessing.safetensors.

    /usr/bin/python3 tests/data/vision/make_preprocessing_references.py   (Pillow 9.4, NumPy)
"""
import json
import os
import struct

import numpy as np
from PIL import Image

IMAGENET_MEAN, IMAGENET_STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]

# name: (width, height, settings) — the same table as the C++ test.
CASES = {
    "vit_bilinear": (50, 37, dict(size=(32, 32), resample=2, mean=[0.5] * 3, std=[0.5] * 3)),
    "deit_bicubic_crop": (301, 203, dict(size=(64, 64), resample=3, crop=(56, 56), mean=IMAGENET_MEAN, std=IMAGENET_STD)),
    "convnext_crop_pct": (90, 61, dict(shortest_edge=32, crop_pct=0.875, resample=3, mean=IMAGENET_MEAN, std=IMAGENET_STD)),
    "shortest_edge": (45, 80, dict(shortest_edge=24, resample=2, mean=IMAGENET_MEAN, std=IMAGENET_STD)),
    "lanczos_downscale": (400, 300, dict(size=(24, 40), resample=1, mean=[0.5] * 3, std=[0.25] * 3)),
    "box_hamming": (70, 70, dict(size=(33, 21), resample=4, mean=[0.0] * 3, std=[1.0] * 3)),
    "hamming": (70, 70, dict(size=(21, 33), resample=5, mean=[0.0] * 3, std=[1.0] * 3)),
    "nearest": (37, 29, dict(size=(16, 16), resample=0, mean=[0.5] * 3, std=[0.5] * 3)),
    "crop_padding": (20, 20, dict(size=(20, 20), resample=2, crop=(24, 23), mean=[0.5] * 3, std=[0.5] * 3)),
}


def draw(width, height):
    y, x = np.mgrid[0:height, 0:width].astype(np.int64)
    channels = [(x * x * 3 + y * 7 + c * 85 + x * y) % 256 for c in range(3)]
    return np.stack(channels, axis=-1).astype(np.uint8)


def shortest_edge_size(height, width, edge):
    short, long = (width, height) if width <= height else (height, width)
    new_long = int(edge * long / short)
    return (new_long, edge) if width <= height else (edge, new_long)


def centre_crop(array, crop_height, crop_width):
    height, width = array.shape[:2]
    top, left = (height - crop_height) // 2, (width - crop_width) // 2
    padded = np.zeros((crop_height, crop_width, 3), dtype=array.dtype)
    src_top, src_left = max(top, 0), max(left, 0)
    src_bottom, src_right = min(top + crop_height, height), min(left + crop_width, width)
    padded[src_top - top:src_bottom - top, src_left - left:src_right - left] = array[src_top:src_bottom, src_left:src_right]
    return padded


def preprocess(array, s):
    height, width = array.shape[:2]
    crop = s.get("crop")
    if "shortest_edge" in s and "crop_pct" in s:
        edge = s["shortest_edge"]
        size = shortest_edge_size(height, width, int(edge / s["crop_pct"]))
        crop = (edge, edge)
    elif "shortest_edge" in s:
        size = shortest_edge_size(height, width, s["shortest_edge"])
    else:
        size = s["size"]
    resized = np.array(Image.fromarray(array).resize((size[1], size[0]), resample=s["resample"]))
    if crop:
        resized = centre_crop(resized, *crop)
    rescaled = (resized.astype(np.float64) * (1 / 255)).astype(np.float32)
    mean, std = np.array(s["mean"], dtype=np.float32), np.array(s["std"], dtype=np.float32)
    return ((rescaled - mean) / std).transpose(2, 0, 1).astype(np.float32)


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, tensor in tensors.items():
        data = np.ascontiguousarray(tensor, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensor.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    encoded = json.dumps(header, separators=(",", ":")).encode()
    encoded += b" " * (-len(encoded) % 8)
    with open(path, "wb") as out:
        out.write(struct.pack("<Q", len(encoded)) + encoded + b"".join(blobs))


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    results = {name: preprocess(draw(w, h), s) for name, (w, h, s) in CASES.items()}
    write_safetensors(os.path.join(here, "preprocessing.safetensors"), results)
    for name, tensor in results.items():
        print(name, tensor.shape)
