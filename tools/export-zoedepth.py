#!/usr/bin/env python3
"""Export the original ZoeDepth checkpoints (isl-org/ZoeDepth, torch.hub) to ONNX with a dynamic
height and width, and write the manifest Zoe Studio imports them with.

The exported graph takes the photo already reflect-padded and resized the way the original's
`infer_pil` does it (Zoe Studio does both outside the graph, with the original's kernels and its
"minimal" resize to multiples of 32), normalises it inside (mean 0.5, std 0.5, as ZoeDepth's
`PrepForMidas`), and returns `metric_depth` [1, 1, h, w] in metres. So every photo is seen in its
own shape, as the original sees it, instead of being squashed into one fixed size.

Run it where PyTorch and the internet are (it downloads the MiDaS code and the checkpoint through
torch.hub), with ZoeDepth's own versions: Python 3.9-3.11, torch >= 2.1 (for the switch that keeps
nn.TransformerEncoder traceable), timm == 0.6.12, onnx, and for the checks onnxruntime:

    pip install "torch>=2.1" torchvision "timm==0.6.12" onnx onnxruntime
    python tools/export-zoedepth.py --model NK --out ~/zoe-exports
    # quick variants: fp16 needs onnxconverter-common, int8 uses onnxruntime.quantization
    python tools/export-zoedepth.py --model N --precision fp32,fp16,int8 --out ~/zoe-exports

then import each `.onnx` in the app (its `.json` beside it is read) or with
`zoe models import <file>.onnx --manifest <file>.json`.

What a dynamic export of the original needs, and what this script does about it:
- ZoeDepth resizes inside its forward (`PrepForMidas` -> `Resize`), computing the size in Python:
  traced, that size would be frozen into the graph. The resizer is replaced by the identity; the
  app resizes (bilinear, align_corners=True, "minimal" policy) exactly as the original would.
- MiDaS's BEiT builds the relative position bias for the input's patch grid in Python
  (`np.array(resolution) // 16`, a dictionary of index tensors keyed by a string): traced, it
  would be frozen at the example's grid and fail on any other size. It is rebuilt here from tensor
  operations on the traced shape (same bilinear interpolation of the bias table, same index
  layout as timm's `gen_relative_position_index`), and checked equal to the original.
- MiDaS unflattens the token grid with `torch.Size([h // 16, w // 16])`, which tracing freezes
  too; here a reshape on the traced sizes does the same.
- ZoeD_NK picks its indoor or outdoor head with `.item()` (Python control flow): traced, the head
  the example image chose would be the only one. Here both heads run and `torch.where` keeps the
  one the latent classifier votes for, as the original does per image.
- nn.TransformerEncoder (NK's classifier) takes a fused fast path that does not export; it is
  switched off for the export.
- The TorchScript exporter (`dynamo=False`) is used, with `dynamic_axes` on height and width.
Before writing anything the patched model is compared with the unpatched original on three
photo shapes, and after exporting the ONNX graph is run (onnxruntime) on the same shapes.
"""

from __future__ import annotations

import argparse
import inspect
import json
import sys
from pathlib import Path

MIT = {"name": "MIT (isl-org/ZoeDepth)", "url": "https://github.com/isl-org/ZoeDepth/blob/main/LICENSE"}

# What the original's configs say (zoedepth/models/zoedepth*/config_*.json: img_size, bin ranges)
# and the paper's REL for each model (Bhat et al., arXiv 2302.12288).
MODELS = {
    "N": {
        "hub": "ZoeD_N",
        "architecture": "ZoeD_M12_N",
        "id": "zoed-n-own-shape",
        "title": "ZoeDepth indoor (ZoeD-M12-N), every photo in its own shape",
        "description": "Metric depth for indoor scenes (NYU Depth v2), up to 10 m. Your own dynamic-shape export of the original checkpoint: each photo is resized as the original does, keeping its shape.",
        "target": (384, 512),
        "range": (0.001, 10.0),
        "domain": "indoor",
        "relativeError": {"value": 0.075, "source": "ZoeDepth paper (Bhat et al., arXiv 2302.12288), Table 1: ZoeD-M12-N on NYU Depth v2, REL 0.075"},
    },
    "K": {
        "hub": "ZoeD_K",
        "architecture": "ZoeD_M12_K",
        "id": "zoed-k-own-shape",
        "title": "ZoeDepth outdoor (ZoeD-M12-K), every photo in its own shape",
        "description": "Metric depth for outdoor and street scenes (KITTI), up to 80 m. Your own dynamic-shape export of the original checkpoint: each photo is resized as the original does (near 384×768), keeping its shape.",
        "target": (384, 768),
        "range": (0.001, 80.0),
        "domain": "outdoor",
        "relativeError": {"value": 0.054, "source": "ZoeDepth paper (Bhat et al., arXiv 2302.12288), KITTI results table: ZoeD-M12-K, REL 0.054"},
    },
    "NK": {
        "hub": "ZoeD_NK",
        "architecture": "ZoeD_M12_NK",
        "id": "zoed-nk-own-shape",
        "title": "ZoeDepth indoor + outdoor (ZoeD-M12-NK), every photo in its own shape",
        "description": "Two metric heads (NYU Depth v2 and KITTI); a latent classifier routes each photo to one. Your own dynamic-shape export of the original checkpoint: each photo is resized as the original does, keeping its shape.",
        "target": (384, 512),
        "range": (0.001, 80.0),
        "domain": "auto",
        "relativeError": {"value": 0.077, "source": "ZoeDepth paper (Bhat et al., arXiv 2302.12288), Table 1: ZoeD-M12-NK on NYU Depth v2, REL 0.077"},
    },
}

PRECISION_NOTES = {
    "fp16": "Weights and arithmetic in 16-bit floating point (onnxconverter-common, inputs and outputs kept in 32 bits): quicker on GPUs, depth differs slightly from the original's. Compare it with the full-precision export on your photos in the models panel.",
    "int8": "Matrix multiplications quantised to 8-bit integers (onnxruntime dynamic quantisation): smaller and quicker on the CPU, depth differs from the original's. Compare it with the full-precision export on your photos in the models panel.",
}

# (height, width) of inputs the checks run: 4:3 landscape, 3:4 portrait, 3:2 landscape, as the
# original feeds them for 12 MP and 24 MP photos (multiples of 32 from the "minimal" resize).
CHECK_SIZES = [(384, 512), (672, 512), (384, 576)]


def manifest_for(key: str, precision: str, file_stem: str) -> dict:
    """The manifest of one export, in the shape of Zoe Studio's src/shared/manifest.ts."""
    model = MODELS[key]
    height, width = model["target"]
    manifest = {
        "id": file_stem,
        "title": model["title"] + ("" if precision == "fp32" else f" — quick ({precision})"),
        "description": model["description"],
        "architecture": model["architecture"],
        "licence": MIT,
        "input": {
            "name": "input",
            "layout": "NCHW",
            "valueRange": "0-1",
            "size": {"kind": "dynamic", "targetHeight": height, "targetWidth": width, "multipleOf": 32, "policy": "minimal"},
            "resize": "bilinear-align-corners",
            "normalisation": {"kind": "in-graph"},
        },
        "output": {"name": "metric_depth", "index": 0, "unit": "metres", "kind": "metric", "upsampling": "bicubic"},
        "depthRange": {"min": model["range"][0], "max": model["range"][1]},
        "domain": model["domain"],
        "defaults": {"flip": True, "pad": True},
        "differencesFromOriginal": [] if precision == "fp32" else [PRECISION_NOTES[precision]],
        "relativeError": model["relativeError"],
    }
    if precision != "fp32":
        manifest["variant"] = {"of": MODELS[key]["id"], "precision": precision}
    return manifest


def stem_for(key: str, precision: str) -> str:
    return MODELS[key]["id"] if precision == "fp32" else f"{MODELS[key]['id']}-{precision}"


def write_json(path: Path, value: dict) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(value, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    temporary.replace(path)


# ---------------------------------------------------------------------------------------------
# Tracing-friendly replacements for the parts of MiDaS's BEiT that compute sizes in Python.
# torch is imported inside, so --manifest-only runs without it.


def relative_position_index(torch, patch_rows, patch_columns, device):
    """timm's gen_relative_position_index((rows, columns)) from tensor operations on traced sizes."""
    tokens = patch_rows * patch_columns
    token = torch.arange(tokens, device=device)
    rows = torch.div(token, patch_columns, rounding_mode="floor")
    columns = token - rows * patch_columns
    inner = (rows[:, None] - rows[None, :] + (patch_rows - 1)) * (2 * patch_columns - 1) + (columns[:, None] - columns[None, :] + (patch_columns - 1))
    relative_count = (2 * patch_rows - 1) * (2 * patch_columns - 1)
    index = torch.nn.functional.pad(inner, (1, 0, 1, 0))
    position = torch.arange(tokens + 1, device=device)
    first_row = (position == 0)[:, None]
    first_column = (position == 0)[None, :]
    zero = torch.zeros_like(index)
    # Row 0 (the class token attending to patches): relative_count; column 0: relative_count + 1;
    # the class token to itself: relative_count + 2, as timm numbers the three extra table rows.
    index = torch.where(first_column, zero + (relative_count + 1), index)
    index = torch.where(first_row, zero + relative_count, index)
    return torch.where(first_row & first_column, zero + (relative_count + 2), index)


def relative_position_bias(torch, attention, patch_rows, patch_columns):
    """MiDaS's Attention._get_rel_pos_bias for a patch grid given as traced sizes."""
    functional = torch.nn.functional
    old_height = 2 * attention.window_size[0] - 1
    old_width = 2 * attention.window_size[1] - 1
    new_height = 2 * patch_rows - 1
    new_width = 2 * patch_columns - 1
    table = attention.relative_position_bias_table
    old_count = attention.num_relative_distance
    sub_table = table[: old_count - 3].reshape(1, old_width, old_height, -1).permute(0, 3, 1, 2)
    sub_table = functional.interpolate(sub_table, size=(new_height, new_width), mode="bilinear")
    sub_table = sub_table.permute(0, 2, 3, 1).reshape(new_height * new_width, -1)
    table = torch.cat([sub_table, table[old_count - 3 :]])
    index = relative_position_index(torch, patch_rows, patch_columns, table.device)
    tokens = patch_rows * patch_columns + 1
    bias = table[index.reshape(-1)].reshape(tokens, tokens, -1)
    return bias.permute(2, 0, 1).contiguous().unsqueeze(0)


def make_attention_forward(torch):
    functional = torch.nn.functional

    def attention_forward(self, x, resolution, shared_rel_pos_bias=None):
        """MiDaS's attention_forward with the bias built from traced sizes."""
        batch, tokens, _ = x.shape
        qkv_bias = torch.cat((self.q_bias, self.k_bias, self.v_bias)) if self.q_bias is not None else None
        qkv = functional.linear(input=x, weight=self.qkv.weight, bias=qkv_bias)
        qkv = qkv.reshape(batch, tokens, 3, self.num_heads, -1).permute(2, 0, 3, 1, 4)
        q, k, v = qkv.unbind(0)
        attention = (q * self.scale) @ k.transpose(-2, -1)
        if self.relative_position_bias_table is not None:
            attention = attention + relative_position_bias(torch, self, resolution[0] // 16, resolution[1] // 16)
        if shared_rel_pos_bias is not None:
            attention = attention + shared_rel_pos_bias
        attention = self.attn_drop(attention.softmax(dim=-1))
        x = (attention @ v).transpose(1, 2).reshape(batch, tokens, -1)
        return self.proj_drop(self.proj(x))

    return attention_forward


def forward_beit_traceable(pretrained, x):
    """MiDaS's forward_adapted_unflatten, unflattening the token grid with a reshape on traced sizes."""
    _, _, height, width = x.shape
    pretrained.model.forward_features(x)
    patch_rows = height // pretrained.model.patch_size[1]
    patch_columns = width // pretrained.model.patch_size[0]
    layers = []
    for number in (1, 2, 3, 4):
        post = getattr(pretrained, f"act_postprocess{number}")
        layer = post[0:2](pretrained.activations[str(number)])
        if layer.ndim == 3:
            layer = layer.reshape(layer.shape[0], layer.shape[1], patch_rows, patch_columns)
        layers.append(post[3 : len(post)](layer))
    return tuple(layers)


def patch_for_tracing(torch, model):
    """Makes the loaded ZoeDepth model traceable at any input size (see the file comment)."""
    import types

    core = model.core
    core.prep.resizer = torch.nn.Identity()
    midas = core.core
    midas.forward_transformer = forward_beit_traceable
    attention_forward = make_attention_forward(torch)
    for block in midas.pretrained.model.blocks:
        block.attn.forward = types.MethodType(attention_forward, block.attn)
    if hasattr(torch.backends, "mha") and hasattr(torch.backends.mha, "set_fastpath_enabled"):
        torch.backends.mha.set_fastpath_enabled(False)
    return model


def nk_head(torch, model, name, x, blocks, last):
    """One metric head of ZoeDepthNK.forward, for the head named `name` ("nyu" or "kitti")."""
    functional = torch.nn.functional
    conf = [c for c in model.bin_conf if c.name == name][0]
    _, seed_centers = model.seed_bin_regressors[name](x)
    if model.bin_centers_type in ("normed", "hybrid2"):
        previous = (seed_centers - conf["min_depth"]) / (conf["max_depth"] - conf["min_depth"])
    else:
        previous = seed_centers
    previous_embedding = model.seed_projector(x)
    embedding = previous_embedding
    centers = None
    for projector, attractor, block in zip(model.projectors, model.attractors[name], blocks):
        embedding = projector(block)
        previous, centers = attractor(embedding, previous, previous_embedding, interpolate=True)
        previous_embedding = embedding
    centers = functional.interpolate(centers, last.shape[-2:], mode="bilinear", align_corners=True)
    embedding = functional.interpolate(embedding, last.shape[-2:], mode="bilinear", align_corners=True)
    probabilities = model.conditional_log_binomial[name](last, embedding)
    return torch.sum(probabilities * centers, dim=1, keepdim=True)


def export_module(torch, model, key):
    """The module to export: input [1,3,H,W] in [0,1], output metric_depth [1,1,h,w]."""

    class SingleHead(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.model = model

        def forward(self, x):
            return self.model(x)["metric_depth"]

    class BothHeads(torch.nn.Module):
        """ZoeDepthNK.forward with both heads evaluated and the classifier's choice kept per image."""

        def __init__(self):
            super().__init__()
            self.model = model

        def forward(self, x):
            m = self.model
            _, out = m.core(x, denorm=False, return_rel_depth=True)
            last, bottleneck, blocks = out[0], out[1], out[2:]
            features = m.conv2(bottleneck)
            embedding = m.patch_transformer(features)[0]
            domain_logits = m.mlp_classifier(embedding)
            vote = torch.softmax(domain_logits.sum(dim=0, keepdim=True), dim=-1)
            nyu = nk_head(torch, m, "nyu", features, blocks, last)
            kitti = nk_head(torch, m, "kitti", features, blocks, last)
            outdoor = (torch.argmax(vote, dim=-1) == 1).reshape(1, 1, 1, 1)
            return torch.where(outdoor, kitti, nyu)

    return (BothHeads() if key == "NK" else SingleHead()).eval()


def load_original(torch, key):
    return torch.hub.load("isl-org/ZoeDepth", MODELS[key]["hub"], pretrained=True).eval()


def sample_input(torch, height, width, seed):
    generator = torch.Generator().manual_seed(seed)
    return torch.rand(1, 3, height, width, generator=generator)


def check_patched_equals_original(torch, key, exported):
    """The patched, exportable module against the unpatched original on three shapes."""
    from timm.models.beit import gen_relative_position_index

    for rows, columns in [(24, 32), (42, 32), (24, 36)]:
        ours = relative_position_index(torch, rows, columns, "cpu")
        if not torch.equal(ours, gen_relative_position_index((rows, columns))):
            raise SystemExit(f"relative position index differs from timm's for a {rows}×{columns} patch grid")
    # The original keeps its own in-model resize: for these sizes (what the app feeds for 12 MP and
    # 24 MP photos) its "minimal" resize is the identity, so both see the same pixels.
    original = load_original(torch, key)
    with torch.no_grad():
        for seed, (height, width) in enumerate(CHECK_SIZES):
            x = sample_input(torch, height, width, seed)
            expected = original(x)["metric_depth"]
            got = exported(x)
            difference = float((got - expected).abs().max())
            print(f"  patched vs original at {height}×{width}: max |Δ| = {difference:.2e} m")
            if difference > 1e-4:
                raise SystemExit(f"the patched model differs from the original at {height}×{width} by {difference} m")


def export_onnx(torch, module, path, opset):
    options = {
        "input_names": ["input"],
        "output_names": ["metric_depth"],
        "dynamic_axes": {"input": {2: "height", 3: "width"}, "metric_depth": {2: "out_height", 3: "out_width"}},
        "opset_version": opset,
        "do_constant_folding": True,
    }
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        options["dynamo"] = False
    with torch.no_grad():
        torch.onnx.export(module, (sample_input(torch, 384, 512, 0),), str(path), **options)


def check_onnx(torch, module, path, tolerance_metres):
    """The ONNX graph on onnxruntime (CPU) against the PyTorch module, on the three shapes."""
    import onnxruntime

    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    with torch.no_grad():
        for seed, (height, width) in enumerate(CHECK_SIZES):
            x = sample_input(torch, height, width, seed)
            expected = module(x).numpy()
            (got,) = session.run(["metric_depth"], {"input": x.numpy()})
            if got.shape != expected.shape:
                raise SystemExit(f"{path.name} at {height}×{width} answers {got.shape}, PyTorch {expected.shape}")
            difference = float(abs(got - expected).max())
            print(f"  {path.name} vs PyTorch at {height}×{width}: output {got.shape[2]}×{got.shape[3]}, max |Δ| = {difference:.2e} m")
            if difference > tolerance_metres:
                raise SystemExit(f"{path.name} differs from PyTorch at {height}×{width} by {difference} m")


def convert_fp16(fp32_path, path):
    import onnx
    from onnxconverter_common import float16

    model = float16.convert_float_to_float16(onnx.load(str(fp32_path)), keep_io_types=True)
    onnx.save(model, str(path))


def convert_int8(fp32_path, path):
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(fp32_path), str(path), op_types_to_quantize=["MatMul"], weight_type=QuantType.QInt8)


def main(argv):
    parser = argparse.ArgumentParser(description="Export an original ZoeDepth checkpoint to ONNX with dynamic height and width, with its Zoe Studio manifest.")
    parser.add_argument("--model", choices=sorted(MODELS), required=True, help="N (indoor), K (outdoor) or NK (both, routed per photo)")
    parser.add_argument("--out", type=Path, default=Path("."), help="folder for the .onnx and .json files")
    parser.add_argument("--precision", default="fp32", help="comma-separated: fp32 (always made), fp16, int8")
    parser.add_argument("--opset", type=int, default=17)
    parser.add_argument("--manifest-only", action="store_true", help="write only the manifests (no PyTorch needed)")
    parser.add_argument("--skip-checks", action="store_true", help="do not compare with the original and run the ONNX graph")
    args = parser.parse_args(argv)

    precisions = [p.strip() for p in args.precision.split(",") if p.strip()]
    unknown = [p for p in precisions if p not in ("fp32", "fp16", "int8")]
    if unknown:
        parser.error(f"unknown precision {', '.join(unknown)} (use fp32, fp16, int8)")
    if "fp32" not in precisions:
        precisions.insert(0, "fp32")
    args.out.mkdir(parents=True, exist_ok=True)
    files = {precision: args.out / f"{stem_for(args.model, precision)}.onnx" for precision in precisions}

    if not args.manifest_only:
        import torch

        print(f"Loading {MODELS[args.model]['hub']} through torch.hub (isl-org/ZoeDepth)…")
        model = patch_for_tracing(torch, load_original(torch, args.model))
        module = export_module(torch, model, args.model)
        if not args.skip_checks:
            check_patched_equals_original(torch, args.model, module)
        fp32 = files["fp32"]
        partial = fp32.with_name(fp32.name + ".partial")
        print(f"Exporting {fp32.name} (opset {args.opset}, dynamic height and width)…")
        export_onnx(torch, module, partial, args.opset)
        if not args.skip_checks:
            check_onnx(torch, module, partial, 5e-3)
        partial.replace(fp32)
        for precision in precisions[1:]:
            target = files[precision]
            partial = target.with_name(target.name + ".partial")
            print(f"Making {target.name}…")
            (convert_fp16 if precision == "fp16" else convert_int8)(fp32, partial)
            partial.replace(target)

    for precision, model_file in files.items():
        manifest_path = model_file.with_suffix(".json")
        write_json(manifest_path, manifest_for(args.model, precision, model_file.stem))
        print(f"Wrote {manifest_path}" + ("" if args.manifest_only else f" for {model_file.name}"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
