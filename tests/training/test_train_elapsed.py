"""train_elapsed_s: logged on every log and eval row, non-decreasing, and continued (not
restarted) when a run resumes from its checkpoint."""

import json

from conftest import tiny_gan_config
from gen_models.runs import single


def _fit(config, workdir):
  return single.run(config, workdir)


def _rows(workdir):
  return [json.loads(line) for line in (workdir / "metrics.jsonl").read_text().splitlines()]


def test_train_elapsed_is_logged_and_summed_across_resume(tmp_path):
  config = tiny_gan_config(num_steps=4)
  config.train.update(eval_every=2, checkpoint_every=2)
  _fit(config, tmp_path)
  first = _rows(tmp_path)
  assert all("train_elapsed_s" in r for r in first)
  assert any("eval/sliced_w1" in r for r in first[:-1])  # a periodic eval row carries it too
  elapsed = [r["train_elapsed_s"] for r in first]
  assert elapsed == sorted(elapsed) and elapsed[0] > 0
  gen_rate = [r for r in first if "generator_steps_per_s" in r]
  assert gen_rate and all(r["generator_steps_per_s"] == r["steps_per_s"] for r in gen_rate)
  assert all(r["critic_real_images_per_s"] == r["examples_per_s"] for r in gen_rate)

  # Mark the logged total at step 4, then resume from that step's checkpoint: the new rows
  # continue from the mark (a restarted clock would be far below it).
  marked = [dict(r, train_elapsed_s=1000.0) if r["step"] == 4 else r for r in first]
  (tmp_path / "metrics.jsonl").write_text("".join(json.dumps(r) + "\n" for r in marked))
  config.train.num_steps = 6
  _fit(config, tmp_path)
  later = [r["train_elapsed_s"] for r in _rows(tmp_path) if r["step"] > 4]
  assert later and 1000.0 < min(later) < 1000.0 + 600
