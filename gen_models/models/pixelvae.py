"""PixelVAE: the convolutional VAE with a PixelCNN decoder (thesis section 2.3, appendix A.0.5).

Three decoders, chosen by (gated, upsample):
- `pixelvae` (False, True): the upsampling decoder's 28x28x`channels` features enter the first
  masked layer of an ungated `PixelCNN` as if concatenated with the image.
- `gated_pixelvae` (True, True): a `GatedPixelCNN` whose every gated layer is conditioned on the
  upsampled features through a 1x1 conv (van den Oord et al. 2016b's spatial conditioning). We
  condition every layer rather than concatenate the features with the image: under the stacks'
  type-A masks a concatenation would hide each position's own features (and those to its right)
  from its own logit.
- `gated_pixelvae_noup` (True, False): no upsampling decoder; a linear map of z conditions every
  gated layer (Table 2.1's "without upsampling").
"""

import chex
import flax.linen as nn

from gen_models.models.pixelcnn import GatedPixelCNN, PixelCNN
from gen_models.models.vae import Encoder, UpsamplingDecoder, check_images


class PixelVAE(nn.Module):
  latent_dim: int
  num_layers: int
  channels: int = 32
  first_kernel_size: int = 7
  kernel_size: int = 5
  gated: bool = True
  upsample: bool = True

  has_latent = True

  @property
  def is_autoregressive(self) -> bool:
    return self.num_layers > 0

  def setup(self):
    if not self.upsample and (not self.gated or self.num_layers == 0):
      raise ValueError("the no-upsampling PixelVAE needs gated layers and num_ar_layers >= 1 "
                       "(z only enters through the gated layers' conditioning)")
    self.encoder = Encoder(self.latent_dim, self.channels)
    if self.upsample:
      self.decoder = UpsamplingDecoder(self.channels)
    net = GatedPixelCNN if self.gated else PixelCNN
    self.pixelcnn = net(self.num_layers, self.channels, self.first_kernel_size, self.kernel_size)

  def encode(self, x):
    """x [B, 28, 28, 1] in {0, 1} -> (mean, log_var) [B, Z]."""
    return self.encoder(x)

  def conditioning(self, z):
    """What the autoregressive net is conditioned on: features [B, 28, 28, C] or z itself."""
    chex.assert_shape(z, (None, self.latent_dim))
    return self.decoder(z) if self.upsample else z

  def decode(self, z, x):
    """Logits [B, 28, 28, 1] of p(x_i | x_<i, z); z [B, Z], x [B, 28, 28, 1] in {0, 1}."""
    check_images(x)
    cond = self.conditioning(z)
    if self.gated:
      return self.pixelcnn(x, cond=cond)
    return self.pixelcnn(x, features=cond)

  def __call__(self, x, z):
    """decode(z, x), after running encode so `init` creates every parameter."""
    self.encode(x)
    return self.decode(z, x)
