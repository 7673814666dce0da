"""Executors: how a protocol's unfinished sub-runs are run.

- `Serial`: one after another in this process (the default; the behaviour before executors).
- `Local`: each sub-run in its own process (`python -m gen_models.runs.worker`), N at a time,
  each bound to its own accelerator (CUDA_VISIBLE_DEVICES / TPU_VISIBLE_CHIPS) or, on CPU, to
  its own core(s) (sched_setaffinity). N defaults to the number of local accelerators, else cores.
- `Slurm`: the sub-runs as one SLURM job array through submitit (one array task per sub-run,
  one GPU each where the cluster has them); waits for the array, then the protocol reduces.

Every executor returns the same thing: {name: results.json content} for sub-runs that finished,
and {'diverged': True, 'error': message} for one stopped by a non-finite loss when the protocol
records divergence. Each sub-run resumes from its own checkpoints, so a killed protocol relaunched
with any executor continues where each sub-run stopped.
"""

import dataclasses
import glob
import os
import pathlib
import pickle
import shutil
import subprocess
import sys
import time
from typing import Callable, Optional

from gen_models.training import rundir

REPO = pathlib.Path(__file__).resolve().parents[2]
DIVERGED_FILE = "diverged.json"  # written into a sub-run's directory when its loss diverged
LOG_FILE = "launcher.log"  # a local sub-run's stdout and stderr
DIVERGED_EXIT_CODE = 3


@dataclasses.dataclass
class SubRun:
  name: str
  config: object  # a resolved ml_collections.ConfigDict
  workdir: pathlib.Path
  index: int  # 1-based position in the protocol's list, for progress lines
  total: int

  @property
  def tag(self) -> str:
    return f"[{self.index}/{self.total}] {self.name}"


class SubRunError(ValueError):
  """Sub-runs that failed (other than by a recorded divergence); the others were completed."""


def run_one(config, workdir) -> dict:
  """Trains one sub-run into `workdir` -> {'status': 'finished'|'diverged', ...}. A divergence
  is also written to workdir/diverged.json, for executors whose worker is another process."""
  from gen_models.runs import single
  from gen_models.training import trainer
  workdir = pathlib.Path(workdir)
  (workdir / DIVERGED_FILE).unlink(missing_ok=True)
  if "job" in config:
    from gen_models.runs import jobs
    return {"status": "finished", "results": jobs.run(config, workdir)}
  try:
    return {"status": "finished", "results": single.run(config, workdir)}
  except trainer.NonFiniteLossError as e:
    rundir.ensure_writable(workdir)  # a run may diverge before it wrote anything
    rundir.write_json(workdir / DIVERGED_FILE, {"error": str(e)})
    return {"status": "diverged", "error": str(e)}


def _diverged(sub: SubRun, message: str, record_divergence: bool) -> dict:
  from gen_models.training import trainer
  if not record_divergence:
    raise trainer.NonFiniteLossError(message)
  print(f"{sub.tag}: {message}", flush=True)
  return {"diverged": True, "error": message}


class Serial:
  """In this process, in order; the first failure stops the protocol."""

  name = "serial"

  def run(self, subruns: list[SubRun], record_divergence: bool,
          on_done: Callable[[SubRun, dict], None]) -> None:
    for sub in subruns:
      print(sub.tag, flush=True)
      outcome = run_one(sub.config, sub.workdir)
      if outcome["status"] == "diverged":
        on_done(sub, _diverged(sub, outcome["error"], record_divergence))
      else:
        on_done(sub, outcome["results"])


# ---------------------------------------------------------------------------------------------
# Local processes


def local_accelerators() -> tuple[str, list[str]]:
  """(platform, ids) of this machine's accelerators, found without starting JAX (a process that
  starts a TPU backend holds every chip): CUDA_VISIBLE_DEVICES or nvidia-smi for GPUs,
  /dev/accel* or /dev/vfio/<n> for TPUs. ('cpu', core ids) when there are none."""
  platforms = os.environ.get("JAX_PLATFORMS", "").lower()
  if platforms in ("", "cuda", "gpu") or platforms.startswith(("cuda", "gpu")):
    visible = os.environ.get("CUDA_VISIBLE_DEVICES")
    if visible is not None:
      ids = [d.strip() for d in visible.split(",") if d.strip() and d.strip() != "-1"]
      if ids:
        return "gpu", ids
    elif shutil.which("nvidia-smi"):
      try:
        out = subprocess.run(["nvidia-smi", "--query-gpu=index", "--format=csv,noheader"],
                             capture_output=True, text=True, timeout=30).stdout.split()
      except (OSError, subprocess.SubprocessError):
        out = []
      if out:
        return "gpu", out
  if platforms in ("", "tpu") or platforms.startswith("tpu"):
    chips = sorted(glob.glob("/dev/accel[0-9]*")) or sorted(glob.glob("/dev/vfio/[0-9]*"))
    if chips:
      return "tpu", [str(i) for i in range(len(chips))]
  return "cpu", [str(c) for c in sorted(os.sched_getaffinity(0))]


def _slots(jobs: Optional[int]) -> list[dict]:
  """One slot per concurrent sub-run: {'label', 'env': the worker's environment overrides}.
  On CPU the worker binds itself to GEN_MODELS_WORKER_CPUS before it starts JAX."""
  platform, ids = local_accelerators()
  jobs = jobs or len(ids)
  slots = []
  if platform == "cpu":
    cores = [int(c) for c in ids]
    if jobs <= len(cores):  # contiguous groups: 16 cores, 4 jobs -> 4 cores each
      groups = [cores[len(cores) * i // jobs:len(cores) * (i + 1) // jobs] for i in range(jobs)]
    else:  # more jobs than cores: cores are shared round-robin
      groups = [[cores[i % len(cores)]] for i in range(jobs)]
    for group in groups:
      slots.append({"label": f"cpu {','.join(map(str, group))}",
                    "env": {"GEN_MODELS_WORKER_CPUS": ",".join(map(str, group))}})
    return slots
  if platform == "tpu" and jobs > len(ids):
    raise ValueError(f"--jobs={jobs} exceeds the {len(ids)} local TPU chips (a chip cannot be "
                     f"shared between processes)")
  per_device = -(-jobs // len(ids))
  for i in range(jobs):
    dev = ids[i % len(ids)]
    if platform == "gpu":
      env = {"CUDA_VISIBLE_DEVICES": dev}
      if per_device > 1:  # several sub-runs share a GPU: split its memory
        env.update(XLA_PYTHON_CLIENT_PREALLOCATE="false",
                   XLA_PYTHON_CLIENT_MEM_FRACTION=f"{0.9 / per_device:.3f}")
    else:  # one chip per process (the TPU runtime's multi-process-per-host settings)
      env = {"TPU_VISIBLE_CHIPS": dev, "TPU_CHIPS_PER_PROCESS_BOUNDS": "1,1,1",
             "TPU_PROCESS_BOUNDS": "1,1,1", "TPU_PROCESS_PORT": str(8476 + i),
             "TPU_MESH_CONTROLLER_ADDRESS": f"localhost:{8476 + i}",
             "TPU_MESH_CONTROLLER_PORT": str(8476 + i)}
    slots.append({"label": f"{platform} {dev}", "env": env})
  return slots


def worker_env(extra: dict) -> dict:
  env = dict(os.environ)
  env["PYTHONPATH"] = os.pathsep.join(
      [str(REPO)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
  env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
  env.update(extra)
  return env


class Local:
  """Each sub-run in its own process, `jobs` at a time, each on its own accelerator or cores.
  A failing sub-run does not stop the others; the failures are reported together at the end."""

  name = "local"

  def __init__(self, jobs: Optional[int] = None, poll_s: float = 0.2):
    if jobs is not None and jobs < 1:
      raise ValueError(f"--jobs must be positive, got {jobs}")
    self.jobs, self.poll_s = jobs, poll_s

  def run(self, subruns, record_divergence, on_done) -> None:
    if not subruns:
      return
    slots = _slots(self.jobs)[:len(subruns)]
    free, queue, running, failures = list(range(len(slots))), list(subruns), {}, []
    try:
      while queue or running:
        while queue and free:
          slot, sub = free.pop(0), queue.pop(0)
          running[slot] = (sub, self._start(sub, slots[slot]), time.time())
        time.sleep(self.poll_s)
        for slot, (sub, proc, started) in list(running.items()):
          code = proc.poll()
          if code is None:
            continue
          del running[slot]
          free.append(slot)
          took = f"{time.time() - started:.1f}s"
          if code == 0:
            print(f"{sub.tag}: done in {took}", flush=True)
            on_done(sub, rundir.read_json(sub.workdir / "results.json"))
          elif code == DIVERGED_EXIT_CODE and (sub.workdir / DIVERGED_FILE).exists():
            message = rundir.read_json(sub.workdir / DIVERGED_FILE)["error"]
            if record_divergence:
              on_done(sub, _diverged(sub, message, True))
            else:
              failures.append((sub, f"diverged: {message}"))
          else:
            failures.append((sub, f"exit code {code}; see {sub.workdir / LOG_FILE}: "
                                  + _tail(sub.workdir / LOG_FILE)))
            print(f"{sub.tag}: FAILED ({failures[-1][1]})", flush=True)
    finally:
      for _, proc, _ in running.values():  # an interrupted parent takes its workers with it
        proc.kill()
        proc.wait()
    _raise_failures(failures)

  @staticmethod
  def _start(sub: SubRun, slot: dict):
    sub.workdir.mkdir(parents=True, exist_ok=True)
    (sub.workdir / DIVERGED_FILE).unlink(missing_ok=True)
    print(f"{sub.tag}: started on {slot['label']} (log: {sub.workdir / LOG_FILE})", flush=True)
    log = open(sub.workdir / LOG_FILE, "ab")
    proc = subprocess.Popen([sys.executable, "-m", "gen_models.runs.worker"], cwd=str(REPO),
                            stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT,
                            env=worker_env({**slot["env"], "GEN_MODELS_WORKER_PARENT": str(os.getpid())}))
    log.close()
    proc.stdin.write(pickle.dumps((sub.config, str(sub.workdir))))
    proc.stdin.close()
    return proc


def _tail(path: pathlib.Path, lines: int = 3) -> str:
  try:
    text = [line for line in path.read_text(errors="replace").splitlines() if line.strip()]
  except OSError:
    return "(no log)"
  return " | ".join(text[-lines:])[-600:]


def _raise_failures(failures) -> None:
  from gen_models.training import trainer
  if not failures:
    return
  if len(failures) == 1 and failures[0][1].startswith("diverged: "):
    raise trainer.NonFiniteLossError(f"{failures[0][0].name}: {failures[0][1][10:]}")
  raise SubRunError(f"{len(failures)} sub-run(s) failed: "
                    + "; ".join(f"{sub.name}: {why}" for sub, why in failures))


# ---------------------------------------------------------------------------------------------
# SLURM


# Environment a SLURM job needs from the submitting shell (sbatch usually exports it, but a
# cluster may use --export=NONE; these are set explicitly in the job script).
FORWARDED_ENV_PREFIXES = ("GEN_MODELS_", "XLA_", "JAX_", "TF_CPP_", "XDG_CACHE_HOME")


def slurm_task(config, workdir) -> dict:
  """The function each array task runs (submitit pickles it by reference)."""
  from absl import logging
  logging.set_verbosity(logging.WARNING)
  outcome = run_one(config, workdir)
  outcome.pop("results", None)  # read from results.json by the submitting process
  return outcome


class Slurm:
  """Unfinished sub-runs as one SLURM job array (submitit), one array task per sub-run."""

  name = "slurm"

  def __init__(self, folder, partition=None, time_min: int = 60, account=None,
               cpus_per_task: int = 1, gpus_per_task: Optional[int] = None,
               jobs: Optional[int] = None, poll_s: float = 2.0):
    try:
      import submitit  # noqa: F401
    except ImportError:
      raise ValueError("--launcher=slurm needs submitit: pip install -e '.[slurm]'") from None
    self.folder = pathlib.Path(folder)
    self.partition, self.time_min, self.account = partition, time_min, account
    self.cpus_per_task, self.jobs, self.poll_s = cpus_per_task, jobs, poll_s
    if gpus_per_task is None:  # as many as the submitting machine suggests: 1 if it has GPUs
      gpus_per_task = 1 if local_accelerators()[0] == "gpu" else 0
    self.gpus_per_task = gpus_per_task

  def _executor(self):
    import submitit
    executor = submitit.SlurmExecutor(folder=str(self.folder / "%j"))
    env = {k: v for k, v in os.environ.items() if k.startswith(FORWARDED_ENV_PREFIXES)}
    env["PYTHONPATH"] = worker_env({})["PYTHONPATH"]
    params = dict(time=self.time_min, cpus_per_task=self.cpus_per_task, nodes=1,
                  ntasks_per_node=1, job_name="gen_models",
                  setup=[f"export {k}={_shell_quote(v)}" for k, v in sorted(env.items())])
    if self.partition:
      params["partition"] = self.partition
    if self.account:
      params["account"] = self.account
    if self.gpus_per_task:
      params["gpus_per_node"] = self.gpus_per_task
    if self.jobs:
      params["array_parallelism"] = self.jobs
    executor.update_parameters(**params)
    return executor

  def run(self, subruns, record_divergence, on_done) -> None:
    if not subruns:
      return
    self.folder.mkdir(parents=True, exist_ok=True)
    reattached = self._reattach(subruns)
    fresh = [s for s in subruns if s.name not in reattached]
    jobs = dict(reattached)
    if fresh:
      for sub in fresh:
        sub.workdir.mkdir(parents=True, exist_ok=True)
        (sub.workdir / DIVERGED_FILE).unlink(missing_ok=True)
      executor = self._executor()
      submitted = executor.map_array(slurm_task, [s.config for s in fresh],
                                     [str(s.workdir) for s in fresh])
      jobs.update({s.name: job for s, job in zip(fresh, submitted)})
      print(f"submitted {len(fresh)} sub-run(s) as SLURM array {submitted[0].job_id.split('_')[0]}"
            f" (logs: {self.folder})", flush=True)
    self._record(jobs)
    by_name = {s.name: s for s in subruns}
    pending, failures, gone = dict(jobs), [], {}
    while pending:
      time.sleep(self.poll_s)
      queued = _squeue_ids()
      for name, job in list(pending.items()):
        sub = by_name[name]
        if not job.paths.result_pickle.exists():
          # Not in the queue and no result: failed before returning (killed, out of time...).
          # Two polls apart, so a result being written as the task ends is not missed.
          gone[name] = gone.get(name, 0) + 1 if queued is not None and job.job_id not in queued \
              else 0
          if gone[name] < 3:
            continue
          del pending[name]
          failures.append((sub, f"SLURM job {job.job_id} ended without a result; see "
                                f"{job.paths.stderr}: {_tail(job.paths.stderr)}"))
          print(f"{sub.tag}: FAILED ({failures[-1][1]})", flush=True)
          continue
        del pending[name]
        try:
          outcome = job.result()
        except Exception as e:  # noqa: BLE001  (submitit re-raises the task's failure)
          failures.append((sub, f"SLURM job {job.job_id}: {' '.join(str(e).split())[-600:]}"))
          print(f"{sub.tag}: FAILED ({failures[-1][1]})", flush=True)
          continue
        if outcome["status"] == "finished":
          print(f"{sub.tag}: done (SLURM job {job.job_id})", flush=True)
          on_done(sub, rundir.read_json(sub.workdir / "results.json"))
        elif record_divergence:
          on_done(sub, _diverged(sub, outcome["error"], True))
        else:
          failures.append((sub, f"diverged: {outcome['error']}"))
    _raise_failures(failures)

  def _record(self, jobs) -> None:
    rundir.write_json(self.folder / "jobs.json", {n: j.job_id for n, j in jobs.items()})

  def _reattach(self, subruns) -> dict:
    """Jobs of an earlier launch (killed while waiting) still queued or running: waited for
    again rather than submitted twice (two writers in one run directory)."""
    import submitit
    recorded = rundir.read_json(self.folder / "jobs.json", default={})
    queued = _squeue_ids() or set()
    found = {}
    for sub in subruns:
      job_id = recorded.get(sub.name)
      if job_id and job_id in queued:
        print(f"{sub.tag}: still in SLURM as job {job_id}; waiting for it", flush=True)
        found[sub.name] = submitit.SlurmJob(folder=str(self.folder / "%j"), job_id=job_id)
    return found


def _squeue_ids() -> Optional[set]:
  """Ids (`123`, and `123_4` for array tasks) of this user's jobs still queued or running;
  None when squeue cannot be asked. (submitit asks sacct, which needs SLURM's accounting
  database; squeue works on every cluster.)"""
  try:
    out = subprocess.run(["squeue", "-h", "-r", "-u", str(os.getuid()), "-o", "%i"],
                         capture_output=True, text=True, timeout=60)
  except (OSError, subprocess.SubprocessError):
    return None
  if out.returncode != 0:
    return None
  return set(out.stdout.split())


def _shell_quote(value: str) -> str:
  import shlex
  return shlex.quote(value)


def describe(executor) -> dict:
  """For the protocol's provenance."""
  out = {"launcher": executor.name}
  if getattr(executor, "jobs", None):
    out["jobs"] = executor.jobs
  return out
