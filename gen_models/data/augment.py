"""Image augmentation inside jitted steps: pure functions of a PRNG key, so a resumed run
augments batch `i` exactly as the uninterrupted run did."""

import chex
import jax
import jax.numpy as jnp


def random_flip_and_crop(key, images, padding: int, flip: bool = True):
  """Per-image random horizontal flip and random crop of the reflect-padded image.

  images: [B, H, W, C]; padding: pixels added on each side before cropping back to H x W (0:
  no crop). Returns [B, H, W, C].
  """
  chex.assert_rank(images, 4)
  b, h, w, c = images.shape
  k_flip, k_crop = jax.random.split(key)
  if flip:
    mirrored = jax.random.bernoulli(k_flip, 0.5, (b,))
    images = jnp.where(mirrored[:, None, None, None], images[:, :, ::-1], images)
  if padding <= 0:
    return images
  padded = jnp.pad(images, ((0, 0), (padding, padding), (padding, padding), (0, 0)),
                   mode="reflect")
  offsets = jax.random.randint(k_crop, (b, 2), 0, 2 * padding + 1)

  def crop(image, offset):
    return jax.lax.dynamic_slice(image, (offset[0], offset[1], 0), (h, w, c))

  return jax.vmap(crop)(padded, offsets)
