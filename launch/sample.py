"""Draws samples from a trained run:

  python launch/sample.py --workdir=W [--step=N] [--num=64] [--seed=S] [--out=F]

Images (GANs, VAEs, PixelCNNs through the cached sampler, PixelVAEs) go to a PNG grid, 2-D toy
samples to a scatter plot, the language GAN's sentences to the console (and F if given); an
F ending in .npz gets the raw samples. Default F: W/samples/step<N>_seed<S>.png.
"""

import os
import pathlib
import sys

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "launch")]  # runnable from a checkout (and cli.py)

from absl import app, flags  # noqa: E402

import cli  # noqa: E402  (launch/cli.py)

_WORKDIR = flags.DEFINE_string("workdir", None, "Run directory of a trained run.")
_STEP = flags.DEFINE_integer("step", None, "Checkpoint step (default: the latest).")
_NUM = flags.DEFINE_integer("num", 64, "How many samples.", lower_bound=1)
_SEED = flags.DEFINE_integer("seed", 0, "Sampling seed.")
_OUT = flags.DEFINE_string("out", "", "Output file (.png, .txt or .npz).")


def main(argv):
  if len(argv) > 1:
    cli.fail(f"unexpected arguments {argv[1:]}")
  import jax
  import numpy as np
  from gen_models import data as data_lib
  from gen_models.plotting import image_grid, toy as toy_plots
  from gen_models.runs import restore
  workdir = pathlib.Path(_WORKDIR.value)
  with cli.one_line_errors():
    config = restore.load_config(workdir)
    run = restore.restore(workdir, config, _STEP.value)
    samples = np.asarray(run.task.sample(run.state, jax.random.key(_SEED.value), _NUM.value))
  is_text = getattr(run.source, "kind", None) == "text"
  default = f"step{run.step}_seed{_SEED.value}.{'txt' if is_text else 'png'}"
  out = pathlib.Path(_OUT.value) if _OUT.value else workdir / "samples" / default
  out.parent.mkdir(parents=True, exist_ok=True)
  if out.suffix == ".npz":
    np.savez_compressed(out, samples=samples)
  elif is_text:
    lines = run.source.decode(np.argmax(samples, axis=-1))
    print("\n".join(lines))
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
  elif samples.ndim == 2:  # 2-D toy points
    fig, ax = toy_plots.plt.subplots(figsize=(4, 4))
    ax.scatter(samples[:, 0], samples[:, 1], s=4, alpha=0.5)
    ax.set_title(f"{config.data.name}: {len(samples)} samples, step {run.step}")
    toy_plots.save(fig, out)
  else:
    image_grid.save_image_grid(out, samples, value_range=data_lib.value_range(config.data),
                               scale=2)
  print(f"{len(samples)} samples of step {run.step} of {workdir}: {out}")


if __name__ == "__main__":
  os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
  app.run(main, flags_parser=lambda argv: cli.parse_flags(argv))
