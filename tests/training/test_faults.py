"""Faults that lose nothing: a diverging run never checkpoints a non-finite state, a failed save
ends in one line and leaves no partial folder, a finished run is left alone when relaunched, and
TensorBoard holds each step once after a resume."""

import collections
import errno
import json
import os
import shutil
import sys

import jax
import numpy as np
import pytest

from conftest import REPO, TINY_OVERRIDES, launch, tiny_gan_config
from gen_models import data, tasks
from gen_models.runs import single
from gen_models.training import checkpointing, metrics as metrics_lib, trainer

TOY = "--config=experiments/wgan_gp_toy.py"


def _one_error_line(proc) -> str:
  lines = [line for line in proc.stderr.splitlines() if line.strip()]
  assert proc.returncode == 2, proc.stderr[-3000:]
  assert len(lines) == 1, proc.stderr[-3000:]
  assert lines[0].startswith("error: "), lines[0]
  return lines[0]


def _restore(directory, step):
  config = tiny_gan_config()
  source = data.build_source(config.data, config.train.seed)
  task = tasks.build_task(config, source)
  like = jax.eval_shape(task.init, jax.random.key(0), source.batches(0, task.batches_per_step))
  ckpt = checkpointing.Checkpointer(directory)
  try:
    return ckpt.restore(step, like)
  finally:
    ckpt.close()


def _steps(directory):
  return sorted(int(p.name) for p in directory.iterdir() if p.name.isdigit())


# ---- a diverging run ---------------------------------------------------------------------------

def test_diverging_run_never_checkpoints_a_non_finite_state(tmp_path):
  """checkpoint_every < log_every: the state is checked before each save, not only at logs."""
  proc = launch(TOY, *TINY_OVERRIDES, "--config.train.num_steps=40",
                "--config.train.checkpoint_every=1", "--config.train.log_every=50",
                "--config.optimizer.critic.learning_rate=3e3",
                "--config.optimizer.generator.learning_rate=3e3", f"--workdir={tmp_path}")
  line = _one_error_line(proc)
  assert "non-finite" in line
  ckpt_dir = tmp_path / "checkpoints"
  saved = _steps(ckpt_dir)
  if saved:
    assert f"the last checkpoint (step {saved[-1]}) is kept in {ckpt_dir}" in line
  else:
    assert "no checkpoint was saved" in line
  for step in saved:
    for leaf in jax.tree_util.tree_leaves(_restore(ckpt_dir, step)):
      if np.issubdtype(np.asarray(leaf).dtype, np.inexact):
        assert np.all(np.isfinite(leaf)), f"checkpoint {step} holds non-finite values"


def test_non_finite_state_is_refused_before_saving(tmp_path):
  state = {"w": np.array([1.0, np.nan], np.float32), "count": np.int32(3)}
  with pytest.raises(trainer.NonFiniteLossError, match="train state at step 4.*no checkpoint"):
    trainer._check_savable(4, state, {"loss": np.float32(0.5)}, tmp_path, 0)
  with pytest.raises(trainer.NonFiniteLossError, match=r"loss at step 4.*\(step 2\)"):
    trainer._check_savable(4, {"w": np.ones(2)}, {"loss": np.float32(np.inf)}, tmp_path, 2)
  trainer._check_savable(4, {"w": np.ones(2)}, {"loss": np.float32(0.5),
                                                "per_layer": np.array([np.inf])}, tmp_path, 2)


# ---- a failed save -----------------------------------------------------------------------------

def _disk_full(fail_paths_containing: str):
  """Makes orbax's metadata writes under matching paths fail as on a full disk."""
  from orbax.checkpoint._src.path import async_path
  write_text = async_path.write_text

  async def full(path, text):
    if fail_paths_containing in str(path):
      raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
    return await write_text(path, text)

  async_path.write_text = full
  return lambda: setattr(async_path, "write_text", write_text)


def test_failed_save_is_one_error_and_leaves_no_partial_folder(tmp_path, capfd):
  state = {"w": np.arange(4, dtype=np.float32)}
  ckpt = checkpointing.Checkpointer(tmp_path)
  ckpt.save(1, state)
  restore = _disk_full("2.orbax-checkpoint-tmp")
  try:
    with pytest.raises(checkpointing.CheckpointSaveError) as info:
      ckpt.save(2, state)
  finally:
    restore()
    ckpt.close()
  assert str(info.value) == f"cannot save checkpoint 2 to {tmp_path}: No space left on device"
  assert info.value.errno == errno.ENOSPC
  assert sorted(p.name for p in tmp_path.iterdir()) == ["1"]
  assert "Traceback" not in capfd.readouterr().err
  np.testing.assert_array_equal(_restore_plain(tmp_path, 1, state)["w"], state["w"])


def _restore_plain(directory, step, like):
  ckpt = checkpointing.Checkpointer(directory)
  try:
    return ckpt.restore(step, like)
  finally:
    ckpt.close()


def test_a_partial_folder_recreated_by_a_late_write_is_removed_too(tmp_path):
  # tensorstore finishes abandoned writes after a failed save; a write re-creates its folders.
  import threading
  import time
  (tmp_path / "1").mkdir()
  late = tmp_path / "2.orbax-checkpoint-tmp" / "default" / "d"
  late.mkdir(parents=True)

  def write_late():
    time.sleep(0.2)
    late.mkdir(parents=True, exist_ok=True)
    (late / "0.0").write_bytes(b"\0" * 10)

  writer = threading.Thread(target=write_late)
  writer.start()
  checkpointing._remove_partial_once_quiet(tmp_path)
  writer.join()
  assert sorted(p.name for p in tmp_path.iterdir()) == ["1"]


def test_tensorstore_write_errors_are_read_as_os_errors():
  wrapped = ValueError("RESOURCE_EXHAUSTED: Error writing \"a/0.0\": Failed to write 238 bytes "
                       "to file 9: No space left on device [os_error_code='28']")
  assert checkpointing._os_error(wrapped).errno == errno.ENOSPC
  chained = RuntimeError("save failed")
  chained.__cause__ = PermissionError(errno.EACCES, "Permission denied")
  assert checkpointing._os_error(chained).errno == errno.EACCES
  assert checkpointing._os_error(ValueError("shapes differ")) is None


_FULL_DISK_LAUNCH = """
import errno, os, runpy, sys
from orbax.checkpoint._src.path import async_path
write_text = async_path.write_text
async def full(path, text):
  if "10.orbax-checkpoint-tmp" in str(path):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
  return await write_text(path, text)
async_path.write_text = full
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def test_full_disk_ends_the_launcher_in_one_line_and_the_relaunch_resumes(tmp_path):
  import subprocess
  args = [TOY, *TINY_OVERRIDES, "--config.train.num_steps=12", f"--workdir={tmp_path}"]
  env = dict(os.environ, XLA_FLAGS="--xla_force_host_platform_device_count=1")
  env.setdefault("JAX_PLATFORMS", "cpu")
  proc = subprocess.run([sys.executable, "-c", _FULL_DISK_LAUNCH,
                         str(REPO / "launch" / "main.py"), *args],
                        capture_output=True, text=True, timeout=300, env=env, cwd=REPO)
  ckpt_dir = (tmp_path / "checkpoints").resolve()
  assert _one_error_line(proc) == (f"error: cannot save checkpoint 10 to {ckpt_dir}: "
                                   "No space left on device")
  assert sorted(p.name for p in ckpt_dir.iterdir()) == ["5"]

  launch(*args, check=True)
  assert json.loads((tmp_path / "results.json").read_text())["step"] == 12
  rows = metrics_lib.read_metrics(tmp_path)
  assert [r["step"] for r in rows if "critic_loss" in r] == list(range(1, 13))


def test_leftover_partial_checkpoint_is_removed_on_relaunch(tmp_path):
  config = tiny_gan_config(num_steps=5)
  single.run(config, tmp_path)
  partial = tmp_path / "checkpoints" / "10.orbax-checkpoint-tmp"
  (partial / "default").mkdir(parents=True)
  (partial / "default" / "half_written").write_bytes(b"\0" * 100)
  config.train.num_steps = 7
  results = single.run(config, tmp_path)
  assert results["step"] == 7
  assert not partial.exists()
  assert _steps(tmp_path / "checkpoints") == [5, 7]


# ---- a finished run ----------------------------------------------------------------------------

def _snapshot(workdir):
  return {str(p.relative_to(workdir)): p.read_bytes()
          for p in sorted(workdir.rglob("*")) if p.is_file()}


def test_relaunching_a_finished_run_changes_nothing_and_extending_it_trains(tmp_path):
  args = [TOY, *TINY_OVERRIDES, f"--workdir={tmp_path}"]
  launch(*args, "--config.train.num_steps=5", check=True)
  before = _snapshot(tmp_path)
  proc = launch(*args, "--config.train.num_steps=5", check=True)
  assert _snapshot(tmp_path) == before  # no evaluation, no log rows, no new segment
  out = [line for line in proc.stdout.splitlines() if line.strip()]
  assert len(out) == 1 and "finished" in out[0] and str(tmp_path / "results.json") in out[0]
  assert "step 1/" not in proc.stdout

  launch(*args, "--config.train.num_steps=7", check=True)
  assert json.loads((tmp_path / "results.json").read_text())["step"] == 7
  rows = metrics_lib.read_metrics(tmp_path)
  assert [r["step"] for r in rows if "critic_loss" in r] == list(range(1, 8))


def test_finished_run_of_another_config_is_refused(tmp_path):
  args = [TOY, *TINY_OVERRIDES, "--config.train.num_steps=5", f"--workdir={tmp_path}"]
  launch(*args, check=True)
  line = _one_error_line(launch(*args, "--config.train.seed=3"))
  assert "different config" in line and "train.seed" in line


# ---- TensorBoard after a resume ----------------------------------------------------------------

def _events(workdir):
  """[(tag, step, kind)] of every summary value in every event file; checks each record's CRCs."""
  from tensorboardX.crc32c import crc32c
  from tensorboardX.proto import event_pb2

  def masked(data):
    crc = crc32c(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF

  found = []
  for path in sorted((workdir / "tensorboard").glob("*tfevents*")):
    records = metrics_lib.read_records(path)
    assert sum(map(len, records)) == path.stat().st_size, f"{path} has a torn record"
    for record in records:
      header, data, footer = record[:12], record[12:-4], record[-4:]
      assert int.from_bytes(header[8:], "little") == masked(header[:8])
      assert int.from_bytes(footer, "little") == masked(data)
      event = event_pb2.Event.FromString(data)
      found += [(v.tag, event.step, v.WhichOneof("value")) for v in event.summary.value]
  return found


def test_tensorboard_holds_each_step_once_after_resume_and_shows_figures(tmp_path):
  """Steps 6 and 7 are logged, then the run restarts from checkpoint 5 and logs them again."""
  config = tiny_gan_config(num_steps=7)
  config.train.update(checkpoint_every=5, eval_every=3)
  single.run(config, tmp_path)
  shutil.rmtree(tmp_path / "checkpoints" / "7")  # as if killed after step 7's log line
  config.train.num_steps = 9
  single.run(config, tmp_path)

  events = _events(tmp_path)
  counts = collections.Counter((tag, step) for tag, step, _ in events)
  assert [key for key, n in counts.items() if n > 1] == []
  assert sorted(s for t, s, _ in events if t == "critic_loss") == list(range(1, 10))
  images = sorted((t, s) for t, s, kind in events if kind == "image")
  assert images == [("figures/samples", 3), ("figures/samples", 6), ("figures/samples", 9)]
  assert sorted(s for t, s, _ in events if t == "eval/sliced_w1") == [3, 6, 9]


def test_write_images_lands_in_the_event_file(tmp_path):
  writer = metrics_lib.MetricWriter(tmp_path)
  writer.write_images(4, {"grid": np.zeros((6, 5, 3), np.uint8),
                          "gray": np.full((4, 4), 200, np.uint8)})
  writer.close()
  assert sorted((t, s) for t, s, kind in _events(tmp_path) if kind == "image") == [
      ("figures/gray", 4), ("figures/grid", 4)]


def test_truncate_keeps_a_torn_files_whole_records_up_to_the_step(tmp_path):
  writer = metrics_lib.MetricWriter(tmp_path)
  for step in range(1, 6):
    writer.write(step, {"loss": float(step)})
  writer.close()
  (path,) = (tmp_path / "tensorboard").glob("*tfevents*")
  with path.open("ab") as f:
    f.write(b"\x30\0\0\0\0\0\0\0torn")  # a record cut short by a kill
  metrics_lib.truncate_events(path, 3)
  assert sorted(s for t, s, _ in _events(tmp_path) if t == "loss") == [1, 2, 3]
