"""Flags of launch/main.py for running protocols' sub-runs in parallel, on SLURM, and one
training over several processes (hosts).

  --launcher=serial|local|slurm  how a protocol's or sweep's unfinished sub-runs run
                                 (gen_models/runs/executors.py); serial is the default
  --jobs=N                       local: sub-runs at a time (default: one per accelerator, or per
                                 core on CPU); slurm: array tasks at a time (default: no limit)
  --slurm_partition, --slurm_time (minutes), --slurm_account, --slurm_cpus_per_task,
  --slurm_gpus_per_task          the job array's resources (one array task per sub-run)
  --coordinator_address=host:port --num_processes=N --process_id=I
                                 one training over N processes (also detected under
                                 `srun -n N` or `mpirun -n N`)
"""

from absl import flags

LAUNCHER = flags.DEFINE_enum(
    "launcher", "serial", ["serial", "local", "slurm"],
    "How a protocol's or sweep's sub-runs run: serially in this process, as local processes "
    "(--jobs at a time, one accelerator or core each), or as a SLURM job array (submitit).")
JOBS = flags.DEFINE_integer("jobs", None, "Sub-runs at a time (local: default one per "
                            "accelerator, or per core on CPU; slurm: array parallelism).")
SLURM_PARTITION = flags.DEFINE_string("slurm_partition", None, "SLURM partition.")
SLURM_TIME = flags.DEFINE_integer("slurm_time", 60, "SLURM time limit per sub-run, minutes.")
SLURM_ACCOUNT = flags.DEFINE_string("slurm_account", None, "SLURM account.")
SLURM_CPUS = flags.DEFINE_integer("slurm_cpus_per_task", 1, "CPUs per sub-run on SLURM.")
SLURM_GPUS = flags.DEFINE_integer("slurm_gpus_per_task", None,
                                  "GPUs per sub-run on SLURM (default: 1 if this host has GPUs).")
COORDINATOR = flags.DEFINE_string("coordinator_address", None,
                                  "host:port of process 0, for one training over several "
                                  "processes (with --num_processes and --process_id).")
NUM_PROCESSES = flags.DEFINE_integer("num_processes", None, "Processes of one training.")
PROCESS_ID = flags.DEFINE_integer("process_id", None, "This process' index (0 writes).")


def init_distributed() -> bool:
  """Before any other JAX call: the distributed runtime when several processes train together."""
  from gen_models.training import distributed
  return distributed.initialize(COORDINATOR.value, NUM_PROCESSES.value, PROCESS_ID.value)


def executor(workdir):
  """The executor the flags ask for (None: serial, in this process)."""
  if LAUNCHER.value == "serial":
    return None
  import pathlib

  import jax
  from gen_models.runs import executors
  # The launching process only prepares and reduces: it stays off the accelerators, which the
  # sub-runs' processes take (a TPU backend would hold every chip).
  jax.config.update("jax_platforms", "cpu")
  if LAUNCHER.value == "local":
    return executors.Local(jobs=JOBS.value)
  return executors.Slurm(pathlib.Path(workdir).expanduser().resolve() / "slurm",
                         partition=SLURM_PARTITION.value, time_min=SLURM_TIME.value,
                         account=SLURM_ACCOUNT.value, cpus_per_task=SLURM_CPUS.value,
                         gpus_per_task=SLURM_GPUS.value, jobs=JOBS.value)
