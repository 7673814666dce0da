"""Table 2.2's FLOPs column (section 2.4.3): FLOPs per 64x64 image of the forward pass of our
hierarchical PixelVAE (the `:imagenet64` sizes of experiments/hierarchical_pixelvae.py) and of
our gated PixelCNN in van den Oord et al. (2016b)'s 64x64 ImageNet configuration, from XLA's
cost analysis of the lowered forward pass at batch 1 (gen_models/evaluation/flops.py).

A job, not a training: nothing is trained or allocated, it takes seconds on a CPU at every
budget. results.json: `flops_per_image` per model. The NLL column of Table 2.2 needs 64x64
ImageNet and a GPU: `python launch/main.py --config=experiments/hierarchical_pixelvae.py:imagenet64
--workdir=DIR` trains the model where they are.
"""

import ml_collections

from gen_models.presets import hierarchical_pixelvae as preset, variants

VARIANTS = {"": "FLOPs per 64x64 image: hierarchical PixelVAE vs gated PixelCNN (a job)"}
IMAGE_SIZE = 64
# van den Oord et al. 2016b, section 3.1 (ImageNet) as we read it: 20 gated layers of 384
# feature maps with 5x5 filters, a 256-way softmax per RGB sub-pixel (the layer count and width
# could not be checked against the paper's text offline).
PIXELCNN = dict(layers=20, channels=384, kernel_size=5)


def get_config(arg: str = ""):
  variants.check_variant(arg, VARIANTS, __file__)
  pixelvae = preset.hierarchical_pixelvae_config("image_folder", IMAGE_SIZE).model
  return ml_collections.ConfigDict(dict(
      job=dict(name="flops_table_2_2", image_size=IMAGE_SIZE, batch_size=1,
               pixelvae=pixelvae.to_dict(), pixelcnn=PIXELCNN),
      train=dict(num_steps=0, time_budget_s=0.0, seed=0),
  ))
