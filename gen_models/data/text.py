"""Character-level text (one sentence per line) as fixed-length one-hot sequences (section 3.5.4).

Lines are cut to `seq_len` characters; shorter lines are filled with a pad symbol. The
character map is built from the lines themselves: index 0 is the pad, index 1 the unknown
character, then the `vocab_size - 2` most frequent characters, by descending count and then by
code point (so the map is a pure function of the text). The WGAN-GP authors' language GAN
(Gulrajani et al. 2017) uses the same recipe with a cap of 2048 characters and 32-character
sentences from the One Billion Word benchmark.

Text comes from plain-text files (`data.path`: one file, a glob, or a list of them; by default
`<data_dir>/lm1b_sample/*.tokens`) or, for `data.path = "tfds:lm1b"`, from TensorFlow Datasets'
`lm1b` train split when `tensorflow_datasets` is installed (it is never required).
"""

import collections
import glob
import pathlib

import numpy as np

from gen_models.data import paths, shuffle

PAD, UNK = 0, 1
PAD_CHAR, UNK_CHAR = "", "\ufffd"  # decoded pads vanish, so short lines round-trip exactly
DEFAULT_GLOB = "lm1b_sample/*.tokens"
TFDS_PREFIX = "tfds:"


class DataFileError(FileNotFoundError):
  pass


def resolve_files(path, data_dir) -> list[pathlib.Path]:
  """data.path (str, glob or list; relative paths under data_dir) -> existing files, sorted
  within each pattern, in the order given."""
  patterns = [path] if isinstance(path, str) else list(path)
  patterns = [p for p in patterns if p] or [DEFAULT_GLOB]
  files = []
  for pattern in patterns:
    full = pathlib.Path(pattern).expanduser()
    if not full.is_absolute():
      full = paths.given(data_dir) / full
    matches = sorted(glob.glob(str(full)))
    if not matches:
      raise DataFileError(f"no text file matches {str(full)!r} (data.path={pattern!r}, data dir "
                          f"{data_dir}); set data.path to a plain-text file with one sentence "
                          f"per line, or data.data_dir / $GEN_MODELS_DATA_DIR to the folder "
                          f"holding {DEFAULT_GLOB}")
    files.extend(pathlib.Path(m) for m in matches)
  return files


def read_lines(files) -> list[str]:
  """Non-empty lines of UTF-8 files, without their line breaks."""
  lines = []
  for f in files:
    with open(f, encoding="utf-8", errors="replace") as handle:
      lines.extend(line.rstrip("\r\n") for line in handle)
  return [line for line in lines if line]


def _tfds_lines(split: str = "train", limit: int = 0) -> list[str]:
  try:
    import tensorflow_datasets as tfds  # optional: only for data.path = "tfds:lm1b"
  except ImportError:
    raise ImportError("data.path='tfds:lm1b' needs tensorflow_datasets; install it or point "
                      "data.path at plain-text files") from None
  ds = tfds.load("lm1b", split=split)
  if limit:
    ds = ds.take(limit)
  return [ex["text"].decode("utf-8", errors="replace") for ex in tfds.as_numpy(ds)]


def build_charmap(lines, vocab_size: int) -> list[str]:
  """-> index-to-character list: [pad, unk, most frequent characters ...], len <= vocab_size."""
  if vocab_size < 3:
    raise ValueError(f"data.vocab_size must be >= 3 (pad, unknown, one character), got "
                     f"{vocab_size}")
  counts = collections.Counter()
  for line in lines:
    counts.update(line)
  ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
  return [PAD_CHAR, UNK_CHAR] + [c for c, _ in ranked[:vocab_size - 2]]


def encode(lines, charmap, seq_len: int) -> np.ndarray:
  """Lines -> [N, seq_len] int32 indices, cut to seq_len, padded with PAD, unknown -> UNK."""
  index = {c: i for i, c in enumerate(charmap) if i >= 2}
  out = np.full((len(lines), seq_len), PAD, np.int32)
  for row, line in enumerate(lines):
    chars = line[:seq_len]
    out[row, :len(chars)] = [index.get(c, UNK) for c in chars]
  return out


def decode(indices, charmap) -> list[str]:
  """[N, L] indices -> N strings (pads dropped)."""
  indices = np.asarray(indices)
  if indices.ndim != 2:
    raise ValueError(f"decode expects [N, L] indices, got shape {indices.shape}")
  return ["".join(charmap[i] for i in row) for row in indices.tolist()]


def one_hot(indices: np.ndarray, vocab: int) -> np.ndarray:
  """[..., L] int -> [..., L, vocab] float32."""
  return (indices[..., None] == np.arange(vocab, dtype=indices.dtype)).astype(np.float32)


class TextSource:
  """Shuffled one-hot sentences; batch `i` is a pure function of (seed, i).

  A fixed `heldout_fraction` of the lines (chosen by a seed-independent permutation, so every
  run holds out the same lines) is never trained on; the evaluation compares samples with it.
  Batch i is the (i mod E)-th slice of epoch i // E's permutation of the training lines,
  E = N_train // batch_size, the permutation drawn from a generator seeded by (seed, epoch).
  """

  kind = "text"

  def __init__(self, path, batch_size: int, seed: int, seq_len: int = 32,
               vocab_size: int = 2048, data_dir: str = "", heldout_fraction: float = 0.02):
    if isinstance(path, str) and path.startswith(TFDS_PREFIX):
      lines = [line for line in _tfds_lines() if line]
    else:
      lines = read_lines(resolve_files(path, data_dir))
    if len(lines) < 2:
      raise ValueError(f"need at least 2 non-empty lines of text, got {len(lines)}")
    self.charmap = build_charmap(lines, vocab_size)
    self.seq_len = seq_len
    self.vocab_size = len(self.charmap)
    self.data_shape = (seq_len, self.vocab_size)
    order = np.random.default_rng(0x7E47).permutation(len(lines))
    n_held = min(len(lines) - 1, max(1, round(heldout_fraction * len(lines))))
    self.heldout_lines = [lines[i][:seq_len] for i in np.sort(order[:n_held])]
    self.train_lines = [lines[i] for i in np.sort(order[n_held:])]
    self.codes = encode(self.train_lines, self.charmap, seq_len)  # [N_train, L]
    if batch_size > len(self.codes):
      raise ValueError(f"batch size {batch_size} exceeds the {len(self.codes)} training lines")
    self.batch_size = batch_size
    self.seed = seed
    self.batches_per_epoch = len(self.codes) // batch_size

  def batch_indices(self, index: int) -> np.ndarray:
    """Line indices of batch `index`. [B] int64."""
    return shuffle.epoch_batch_indices(self.seed, index, len(self.codes), self.batch_size)

  def batches(self, first_index: int, count: int) -> dict:
    """{'x': [count, B, seq_len, V] one-hot float32}."""
    idx = np.stack([self.batch_indices(first_index + j) for j in range(count)])
    return {"x": one_hot(self.codes[idx], self.vocab_size)}

  def decode(self, indices) -> list[str]:
    """[N, seq_len] character indices (e.g. argmax of samples) -> N strings."""
    return decode(indices, self.charmap)

  def train_words(self) -> set:
    """Space-separated words of the training lines cut to seq_len (what the model sees)."""
    return {w for line in self.train_lines for w in line[:self.seq_len].split()}
