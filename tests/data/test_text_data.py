"""The character-level text source on a generated file: charmap, one-hot batches, determinism,
padding/truncation, decoding, held-out split, missing-file error."""

import collections

import ml_collections
import numpy as np
import pytest

from gen_models import data
from gen_models.data import text

LINES = ["the cat sat .", "a dog ran far away from the big house today", "the end", "zq",
         "cats and dogs", "one more line", "x y z"]


@pytest.fixture
def corpus(tmp_path):
  path = tmp_path / "corpus" / "sample.tokens"
  path.parent.mkdir()
  path.write_text("\n".join(LINES[:4]) + "\n\n" + "\n".join(LINES[4:]) + "\n", encoding="utf-8")
  return path


def test_charmap_ranks_characters_by_count_then_code_point():
  counts = collections.Counter("".join(LINES))
  expected = sorted(counts, key=lambda c: (-counts[c], c))
  charmap = text.build_charmap(LINES, vocab_size=2048)
  assert charmap[:2] == [text.PAD_CHAR, text.UNK_CHAR] and charmap[2:] == expected
  capped = text.build_charmap(LINES, vocab_size=5)
  assert capped == charmap[:5]
  codes = text.encode(["zq"], capped, 4)
  assert codes.tolist() == [[text.UNK, text.UNK, text.PAD, text.PAD]]  # rare chars -> unknown


def test_encode_pads_truncates_and_decode_round_trips():
  charmap = text.build_charmap(LINES, 2048)
  codes = text.encode(LINES, charmap, 10)
  assert codes.shape == (len(LINES), 10) and codes.dtype == np.int32
  assert text.decode(codes, charmap) == [line[:10] for line in LINES]
  assert np.all(codes[LINES.index("zq"), 2:] == text.PAD)


def test_source_batches_one_hot_deterministic_and_held_out(corpus):
  config = ml_collections.ConfigDict(dict(name="text", path=str(corpus), seq_len=8,
                                          vocab_size=2048, batch_size=2, data_dir=""))
  source = data.build_source(config, seed=3)
  vocab = len(set("".join(LINES))) + 2
  assert source.kind == "text" and source.data_shape == (8, vocab)
  x = source.batches(1, 3)["x"]
  assert x.shape == (3, 2, 8, vocab) and x.dtype == np.float32
  np.testing.assert_array_equal(x.sum(-1), 1.0)  # exactly one hot per position
  np.testing.assert_array_equal(x[1:], source.batches(2, 2)["x"])  # batch i depends on i only
  again = data.build_source(config, seed=3)
  np.testing.assert_array_equal(again.batches(0, 4)["x"], source.batches(0, 4)["x"])
  decoded = source.decode(np.argmax(x.reshape(-1, 8, vocab), -1))
  assert set(decoded) <= {line[:8] for line in source.train_lines}
  # Held-out lines are never trained on, and together with the training lines make the file.
  assert sorted(source.heldout_lines + [l[:8] for l in source.train_lines]) == sorted(
      l[:8] for l in LINES)
  assert not set(source.heldout_lines) & {l[:8] for l in source.train_lines}
  epoch = np.concatenate([source.batch_indices(i) for i in range(source.batches_per_epoch)])
  assert len(set(epoch.tolist())) == len(epoch)  # an epoch visits lines without repeats


def test_glob_relative_to_data_dir_and_missing_file_error(corpus, tmp_path):
  source = text.TextSource("corpus/*.tokens", 2, 0, seq_len=4, data_dir=str(tmp_path))
  assert len(source.train_lines) + len(source.heldout_lines) == len(LINES)
  with pytest.raises(text.DataFileError, match=r"nope\.txt.*" + str(tmp_path)):
    text.TextSource("nope.txt", 2, 0, data_dir=str(tmp_path))
  with pytest.raises(text.DataFileError, match="lm1b_sample"):
    text.TextSource("", 2, 0, data_dir=str(tmp_path / "empty"))
