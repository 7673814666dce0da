"""PyTorch twins of the models and train steps benchmarks/vs_pytorch.py times (eager mode).

Each twin has the layer counts, widths, kernel sizes, masks, normalization, activations, loss
and optimizer hyper-parameters of the gen_models module it copies (the parameter counts are
checked against ours when the benchmark runs); tensors are NCHW, PyTorch's default layout.
Nothing here is tuned: PyTorch defaults throughout (torch.optim.Adam's default implementation,
default memory format, default thread count unless the benchmark sets it).

- `ResNetGenerator`, `ResNetCritic`: appendix B.3 (gen_models/models/resnet_gan.py,
  nn/resblocks.py): pre-activation residual blocks of two 3x3 convolutions, nearest-neighbour
  up-sampling before a generator block's first convolution, 2x2 mean pooling after a critic
  block's second, 1x1 shortcut when a block resamples; batch norm (momentum 0.9 in Flax's
  convention = 0.1 in PyTorch's, eps 1e-5) in the generator, none in the critic.
- `GatedPixelCNN`: the blind-spot-free gated stacks of nn/gated.py (vertical (k//2+1) x k and
  horizontal 1 x (k//2+1) convolutions, the first layer's horizontal centre tap masked, the
  down-shifted vertical pre-activation into the horizontal stack through a 1x1, gate
  tanh(a) * sigmoid(b), residual horizontal stack after the first layer), two gated 1x1 head
  layers and a 1x1 output; `out_channels` 1 (Bernoulli logit) for binary MNIST, the discretized
  logistic mixture's 100 parameters for the colour model (models/color.py `pixelcnnpp`).
- `critic_step`, `generator_step`: GANTask's WGAN-GP updates; `likelihood_step`:
  LikelihoodTask.train_step (loss, backward, grad norm, Adam).
"""

import math

import torch
import torch.nn.functional as F
from torch import nn

# ---- appendix B.3 ResNets --------------------------------------------------------------------


def upsample_nearest(x):
  return x.repeat_interleave(2, dim=2).repeat_interleave(2, dim=3)


def mean_pool(x):
  return F.avg_pool2d(x, 2)


class ResidualBlock(nn.Module):
  """nn/resblocks.ResidualBlock: norm 'batch_norm' or 'none', resample None / 'up' / 'down'."""

  def __init__(self, in_channels, features, resample=None, batch_norm=False, preactivate=True):
    super().__init__()
    self.resample, self.preactivate = resample, preactivate
    self.norm_1 = nn.BatchNorm2d(in_channels, momentum=0.1, eps=1e-5) if (
        batch_norm and preactivate) else None
    self.conv_1 = nn.Conv2d(in_channels, features, 3, padding=1)
    self.norm_2 = nn.BatchNorm2d(features, momentum=0.1, eps=1e-5) if batch_norm else None
    self.conv_2 = nn.Conv2d(features, features, 3, padding=1)
    self.shortcut = None
    if resample is not None or in_channels != features:
      self.shortcut = nn.Conv2d(in_channels, features, 1)

  def forward(self, x):
    h = x
    if self.preactivate:
      h = F.relu(self.norm_1(h) if self.norm_1 is not None else h)
    if self.resample == "up":
      h = upsample_nearest(h)
    h = self.conv_1(h)
    h = F.relu(self.norm_2(h) if self.norm_2 is not None else h)
    h = self.conv_2(h)
    if self.resample == "down":
      h = mean_pool(h)
    return self._shortcut(x) + h

  def _shortcut(self, x):
    if self.shortcut is None:
      return x
    if self.resample == "up":
      return self.shortcut(upsample_nearest(x))
    if self.resample == "down":
      return self.shortcut(mean_pool(x))  # a 1x1 conv commutes with mean pooling
    return self.shortcut(x)


class ResNetGenerator(nn.Module):
  """z [B, latent] -> images [B, C, 32, 32]: linear to 4x4xW, 3 up blocks, BN, ReLU, 3x3, tanh."""

  def __init__(self, width=128, latent_dim=128, channels=3, image_size=32):
    super().__init__()
    self.width = width
    self.linear = nn.Linear(latent_dim, 4 * 4 * width)
    ups = int(math.log2(image_size // 4))
    self.blocks = nn.ModuleList(
        [ResidualBlock(width, width, "up", batch_norm=True) for _ in range(ups)])
    self.norm_out = nn.BatchNorm2d(width, momentum=0.1, eps=1e-5)
    self.conv_out = nn.Conv2d(width, channels, 3, padding=1)

  def forward(self, z):
    # Flax reshapes [B, 4*4*W] to NHWC [B, 4, 4, W]; the same features as NCHW:
    h = self.linear(z).view(z.shape[0], 4, 4, self.width).permute(0, 3, 1, 2)
    for block in self.blocks:
      h = block(h)
    return torch.tanh(self.conv_out(F.relu(self.norm_out(h))))


class ResNetCritic(nn.Module):
  """x [B, C, 32, 32] -> scores [B]: down (no pre-activation), down, plain, plain, ReLU, global
  mean pool, linear. No normalization (WGAN-GP)."""

  def __init__(self, width=128, channels=3):
    super().__init__()
    plan = ["down", "down", None, None]
    self.blocks = nn.ModuleList([
        ResidualBlock(channels if i == 0 else width, width, r, preactivate=i > 0)
        for i, r in enumerate(plan)])
    self.linear = nn.Linear(width, 1)

  def forward(self, x):
    h = x
    for block in self.blocks:
      h = block(h)
    return self.linear(F.relu(h).mean(dim=(2, 3)))[:, 0]


def gan_optimizer(params, total_updates):
  """gan_cifar.cifar_optimizer: Adam(2e-4, b1=0, b2=0.9, eps=1e-8), linear decay to 0."""
  opt = torch.optim.Adam(params, lr=2e-4, betas=(0.0, 0.9), eps=1e-8)
  schedule = torch.optim.lr_scheduler.LinearLR(opt, 1.0, 0.0, total_iters=total_updates)
  return opt, schedule


def critic_step(generator, critic, opt, schedule, real, latent_dim=128, gp_weight=10.0):
  """One WGAN-GP critic update (GANTask._critic_updates' body): fakes from the generator in
  train mode (no gradient), E[D(fake)] - E[D(real)] + 10 E[(||grad D(x_hat)|| - 1)^2] on
  interpolates x_hat, one Adam step. -> the loss."""
  b = real.shape[0]
  with torch.no_grad():
    fake = generator(torch.randn(b, latent_dim))
  loss = critic(fake).mean() - critic(real).mean()
  eps = torch.rand(b, 1, 1, 1)
  x_hat = (eps * real + (1.0 - eps) * fake).requires_grad_(True)
  grads, = torch.autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)
  norms = torch.sqrt(grads.square().flatten(1).sum(1) + 1e-12)
  loss = loss + gp_weight * (norms - 1.0).square().mean()
  opt.zero_grad()
  loss.backward()
  opt.step()
  schedule.step()
  return loss.detach()


def generator_step(generator, critic, opt, schedule, batch_size, latent_dim=128):
  """One WGAN-GP generator update (GANTask.train_step's generator part): -E[D(G(z))] with the
  generator in train mode (its batch statistics update), gradients for the generator only."""
  for p in critic.parameters():
    p.requires_grad_(False)
  loss = -critic(generator(torch.randn(batch_size, latent_dim))).mean()
  opt.zero_grad()
  loss.backward()
  opt.step()
  schedule.step()
  for p in critic.parameters():
    p.requires_grad_(True)
  return loss.detach()


# ---- gated PixelCNN (binary MNIST) and the colour PixelCNN (CIFAR-10) --------------------------


def gate(h):
  a, b = h.chunk(2, dim=1)
  return torch.tanh(a) * torch.sigmoid(b)


def shift_down(x):
  return F.pad(x, (0, 0, 1, 0))[:, :, :-1, :]


class GatedStackLayer(nn.Module):
  """nn/gated.GatedStackLayer without conditioning."""

  def __init__(self, in_channels, channels, kernel_size, first):
    super().__init__()
    k, p, c2 = kernel_size, kernel_size // 2, 2 * channels
    self.p, self.first = p, first
    self.v_conv = nn.Conv2d(in_channels, c2, (p + 1, k))
    self.h_conv = nn.Conv2d(in_channels, c2, (1, p + 1))
    mask = torch.ones(1, 1, 1, p + 1)
    if first:
      mask[..., -1] = 0.0  # type A: the current pixel is not seen
    self.register_buffer("h_mask", mask)
    self.v_to_h = nn.Conv2d(c2, c2, 1)
    self.h_out = nn.Conv2d(channels, channels, 1)

  def forward(self, v, h):
    p = self.p
    v_pre = self.v_conv(F.pad(v, (p, p, p, 0)))  # rows <= i, columns j - p .. j + p
    h_pre = F.conv2d(F.pad(h, (p, 0, 0, 0)), self.h_conv.weight * self.h_mask, self.h_conv.bias)
    h_pre = h_pre + self.v_to_h(shift_down(v_pre))
    v_out = gate(v_pre)
    h_out = self.h_out(gate(h_pre))
    if not self.first:
      h_out = h + h_out
    return v_out, h_out


class GatedPixelCNN(nn.Module):
  """models/pixelcnn.GatedPixelCNN (out_channels=1) and models/color.ColorPixelCNN
  (out_channels = the mixture's parameters per pixel): gated stacks, two gated 1x1, a 1x1 out."""

  def __init__(self, in_channels=1, num_layers=12, channels=32, first_kernel_size=7,
               kernel_size=5, out_channels=1):
    super().__init__()
    sizes = [first_kernel_size] + [kernel_size] * (num_layers - 1)
    self.layers = nn.ModuleList([
        GatedStackLayer(in_channels if i == 0 else channels, channels, k, first=(i == 0))
        for i, k in enumerate(sizes)])
    self.head = nn.ModuleList([nn.Conv2d(channels, 2 * channels, 1) for _ in range(2)])
    self.out = nn.Conv2d(channels, out_channels, 1)

  def forward(self, x):
    v = h = x
    for layer in self.layers:
      v, h = layer(v, h)
    for conv in self.head:
      h = gate(conv(h))
    return self.out(h)


def bernoulli_log_likelihood(logits, x):
  return (x * logits - F.softplus(logits)).flatten(1).sum(1)


# objectives/likelihood.py's discretized logistic mixture, channels-last like the original.
HALF_BIN = 1.0 / 255.0
MIN_LOG_SCALE = -7.0


def mixture_num_params(c, k):
  return k * (1 + 2 * c + c * (c - 1) // 2)


def logistic_mixture_log_likelihood(params, x, num_mixtures):
  """params [B, P, H, W] (NCHW network output), x [B, C, H, W] in [-1, 1] -> log p(x) [B]."""
  params = params.permute(0, 2, 3, 1)
  x = x.permute(0, 2, 3, 1)
  c, k = x.shape[-1], num_mixtures
  logits = params[..., :k]
  rest = params[..., k:].reshape(params.shape[:-1] + (2 * c + c * (c - 1) // 2, k))
  means_raw = rest[..., :c, :]
  log_scales = torch.clamp(rest[..., c:2 * c, :], min=MIN_LOG_SCALE)
  coeffs = torch.tanh(rest[..., 2 * c:, :])
  means = []
  for ch in range(c):
    mean = means_raw[..., ch, :]
    for j in range(ch):
      mean = mean + coeffs[..., ch * (ch - 1) // 2 + j, :] * x[..., j:j + 1]
    means.append(mean)
  means = torch.stack(means, dim=-2)
  xe = x[..., None]
  centred = xe - means
  inv_scale = torch.exp(-log_scales)
  plus_in = inv_scale * (centred + HALF_BIN)
  min_in = inv_scale * (centred - HALF_BIN)
  log_cdf_plus = plus_in - F.softplus(plus_in)
  log_one_minus_cdf_min = -F.softplus(min_in)
  cdf_delta = torch.where(centred > 0, torch.sigmoid(-min_in) - torch.sigmoid(-plus_in),
                          torch.sigmoid(plus_in) - torch.sigmoid(min_in))
  mid_in = inv_scale * centred
  log_pdf_mid = mid_in - log_scales - 2.0 * F.softplus(mid_in)
  log_mid = torch.where(cdf_delta > 1e-5, torch.log(torch.clamp(cdf_delta, min=1e-12)),
                        log_pdf_mid + math.log(2.0 * HALF_BIN))
  log_probs = torch.where(xe < -0.999, log_cdf_plus,
                          torch.where(xe > 0.999, log_one_minus_cdf_min, log_mid))
  pixel = torch.logsumexp(log_probs.sum(-2) + F.log_softmax(logits, -1), dim=-1)
  return pixel.flatten(1).sum(1)


def likelihood_step(model, opt, x, log_likelihood):
  """LikelihoodTask.train_step for a fully autoregressive model: the mean NLL, backward, the
  gradient norm (a logged metric), one Adam step. -> (nll, grad norm)."""
  nll = -log_likelihood(model(x), x).mean()
  opt.zero_grad()
  nll.backward()
  grad_norm = torch.linalg.vector_norm(
      torch.stack([torch.linalg.vector_norm(p.grad) for p in model.parameters()]))
  opt.step()
  return nll.detach(), grad_norm


def likelihood_optimizer(params):
  """likelihood_mnist / likelihood_cifar: Adam(1e-3, b1=0.9, b2=0.999, eps=1e-8), no decay."""
  return torch.optim.Adam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8)


def num_params(module) -> int:
  return sum(p.numel() for p in module.parameters())
