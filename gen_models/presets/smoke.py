"""Smoke sizes: any experiment's config shrunk to tiny models, a few steps and a handful of
evaluation examples, so that every code path of a run (or protocol) executes in seconds.

Used by `experiments/thesis.py:smoke` (the whole thesis end to end) and by the tests that
smoke-run each experiment file.
"""

import ml_collections

WIDTH_KEYS = {"width": 8, "channels": 8, "iaf_hidden": 8, "mlp_width": 16, "hidden": 8,
              "latent_channels": 4, "num_filters": 8, "features": 8,
              # the hierarchical PixelVAE's (presets/hierarchical_pixelvae.tiny_overrides' sizes)
              "top_channels": 8, "pixel_channels": 6, "z1_channels": 2, "z2_dim": 4}
COUNT_KEYS = {"depth": 2, "num_blocks": 1, "mlp_depth": 2, "num_layers": 2,
              "pixel_layers": 2, "latent_layers": 2, "blocks_per_stage": 0}
TUPLE_WIDTH_KEYS = ("widths", "res_channels")  # every entry at most 8
EVAL_SIZES = {"num_test_examples": 8, "iwae_samples": 2, "iwae_chunk": 2, "figure_examples": 4,
              "score_samples": 10, "toy_samples": 64, "mmd_samples": 32, "loss_examples": 4,
              "grid_rows": 2, "grid_size": 8, "latent_train_examples": 8, "heldout_examples": 8,
              "train_examples": 8, "num_text_samples": 4, "num_listed_samples": 2,
              "batch_size": 4}
# Protocol lists keep their first entries.
PROTOCOL_LISTS = {"held_out_classes": 2, "objectives": 1, "datasets": 1, "architectures": 1,
                  "methods": 1, "clip_values": 1, "layers": 2}


def _shrink_section(section) -> None:
  for key in list(section.keys()):
    value = section[key]
    if isinstance(value, ml_collections.ConfigDict):
      _shrink_section(value)
    elif isinstance(value, bool):
      continue
    elif key in WIDTH_KEYS and isinstance(value, int) and value > 0:
      section[key] = min(value, WIDTH_KEYS[key])
    elif key in COUNT_KEYS and isinstance(value, int) and value > 0:
      section[key] = min(value, COUNT_KEYS[key])
    elif key in TUPLE_WIDTH_KEYS:
      section[key] = type(value)(min(v, 8) for v in value)
    elif key == "num_ar_layers" and value:
      section[key] = min(value, 2)
    elif key == "latent_dim" and value > 2:
      section[key] = 4


def shrink(config, image_folder=None, num_steps: int = 2,
           protocol_lists=None) -> ml_collections.ConfigDict:
  """A copy of `config` that trains `num_steps` steps of tiny models on tiny batches and
  evaluates a handful of examples; protocol lists keep their first entries (`protocol_lists`:
  {key: how many}, default PROTOCOL_LISTS). `image_folder`: the folder image-folder data sets
  read instead of theirs (None: keep the config's)."""
  config = ml_collections.ConfigDict(config.to_dict())
  if "sweep" in config:
    base = ml_collections.ConfigDict({k: config[k] for k in config.keys() if k != "sweep"})
    return ml_collections.ConfigDict({
        **shrink(base, image_folder, num_steps, protocol_lists).to_dict(),
        "sweep": config.sweep.to_dict()})
  if "job" in config:  # a computation, not a training: its own keys say how small it can be
    return config
  for section in ("model", "protocol"):
    if section in config:
      _shrink_section(config[section])
  if "protocol" in config:
    for key, keep in (PROTOCOL_LISTS if protocol_lists is None else protocol_lists).items():
      if key in config.protocol:
        config.protocol[key] = tuple(config.protocol[key])[:keep]
  config.train.update(num_steps=num_steps, log_every=1, checkpoint_every=max(1, num_steps),
                      eval_every=0, progress_bar=False)
  config.data.batch_size = 4
  if image_folder is not None and (
      config.data.name == "image_folder" or ("path" in config.data and "image_size" in config.data
                                             and config.data.name != "text")):
    config.data.path = str(image_folder)
  for key, size in EVAL_SIZES.items():
    if key in config.eval and isinstance(config.eval[key], int) and config.eval[key] > size:
      config.eval[key] = size
  if "objective" in config and "n_critic" in config.objective:
    config.objective.n_critic = min(config.objective.n_critic, 2)
  return config
