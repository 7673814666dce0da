"""The thesis' own numbers, as data: every reference value a report shows beside ours.

Transcribed from ../shared/thesis/thesis.md; each value names the table, figure or section it is
printed in. Our numbers are never here: they are read from run records.
Notation (Table 2.1, Table 2.2): "≤" marks a variational bound, "≈" an importance-sampled
estimate, "=" an exact likelihood.
"""

# =============================================================================================
# Chapter 2
# =============================================================================================

# (row label, experiments/<key>_mnist.py, thesis value as printed)
TABLE_2_1 = (
    ("Convolutional VAE", "vae", "≤ 87.41"),
    ("PixelCNN", "pixelcnn", "= 81.30"),
    ("PixelVAE", "pixelvae", "≤ 80.64"),
    ("Gated PixelCNN", "gated_pixelcnn", "= 80.10"),
    ("Gated PixelVAE", "gated_pixelvae", "≈ 79.48 (≤ 80.02)"),
    ("Gated PixelVAE without upsampling", "gated_pixelvae_noup", "≈ 78.96 (≤ 79.58)"),
)

# Figure 2.4 (section 2.4.1, "Number of PixelCNN layers"): no values are printed, only the
# figure; the text says the PixelVAE "performs much better than PixelCNN" with fewer than this
# many autoregressive layers, and that the masked filters are 5x5.
FIGURE_2_4_PIXELVAE_BETTER_BELOW_LAYERS = 10
FIGURE_2_4_FIRST_KERNEL_SIZE = 5

# Figure 2.5 (section 2.4.1, "Latent representations"): K-nearest-neighbour test error (%) in
# each model's 2-D latent space (K is not given).
FIGURE_2_5_KNN_ERROR = {"vae": 22.9, "pixelvae": 7.2}

# Table 2.2 (section 2.4.3): 64x64 ImageNet, (model, NLL validation (train) in bits/dim as
# printed, FLOPs per image; None where the table has "—").
TABLE_2_2 = (
    ("Convolutional DRAW", "≤ 4.10 (4.04)", None),
    ("Real NVP", "= 4.01 (3.93)", None),
    ("PixelRNN", "= 3.63 (3.57)", 154e9),
    ("Gated PixelCNN", "= 3.57 (3.48)", 134e9),
    ("Hierarchical PixelVAE", "≤ 3.62 (3.55)", 63e9),
)

# =============================================================================================
# Chapter 3
# =============================================================================================

# Figure 3.1b (section 3.3.2): the clipping thresholds c of the gradient-norm experiment
# (12-layer ReLU MLP critic and generator on Swiss Roll).
FIGURE_3_1B_CLIP_VALUES = (0.1, 0.01, 0.001)

# Figure 3.4 (section 3.5.3): CIFAR-10 Inception scores as printed, (method, score); the thesis'
# own model is "WGAN-GP ResNet (ours)" in both lists (the supervised one adds AC-GAN labels).
FIGURE_3_4_UNSUPERVISED = (
    ("ALI (in DFM)", "5.34 ± .05"), ("BEGAN", "5.62"), ("DCGAN (in SGAN)", "6.16 ± .07"),
    ("Improved GAN (-L+HA)", "6.86 ± .06"), ("EGAN-Ent-VI", "7.07 ± .10"), ("DFM", "7.72 ± .13"),
    ("WGAN-GP ResNet (ours)", "7.86 ± .07"),
)
FIGURE_3_4_SUPERVISED = (
    ("SteinGAN", "6.35"), ("DCGAN (with labels, in SteinGAN)", "6.58"),
    ("Improved GAN", "8.09 ± .07"), ("AC-GAN", "8.25 ± .07"), ("SGAN-no-joint", "8.37 ± .08"),
    ("WGAN-GP ResNet (ours)", "8.42 ± .10"), ("SGAN", "8.59 ± .12"),
)
FIGURE_3_4_OURS = "WGAN-GP ResNet (ours)"

# Table 3.1 (section 3.5.4): the first lines of each column of samples of the character-level
# WGAN-GP language model (One Billion Word, 32 characters, argmax-decoded), as printed.
TABLE_3_1_SAMPLES = (
    "Busino game camperate spent odea",
    "In the bankaway of smarling the",
    "SingersMay , who kill that invic",
    "Keray Pents of the same Reagun D",
    "Solice Norkedâin pring in since",
    "ThiS record ( 31. ) UBS ) and Ch",
    "It was not the annuas were plogr",
    "This will be us , the ect of DAN",
)

# =============================================================================================
# Chapter 4
# =============================================================================================

# Tables 4.1 (MNIST digits) and 4.2 (CIFAR-10 classes): AUPR (%) per held-out class, the skew
# column as printed, and the mean / median rows. `models` maps our experiment variant
# (experiments/ood_<dataset>.py:<variant>) to (the thesis' column name, its ten values, mean,
# median).
TABLE_4_1 = dict(
    title="Table 4.1: leave-one-digit-out OOD detection on MNIST, AUPR (%)",
    experiment="experiments/ood_mnist.py",
    classes=tuple(str(d) for d in range(10)),
    skew=(9.8, 11.35, 10.32, 10.1, 9.82, 8.92, 9.58, 10.28, 9.74, 10.09),
    models={
        "vae": ("VAE", (40.20, 5.98, 65.37, 36.86, 34.49, 38.56, 38.13, 10.13, 57.64, 11.09),
                33.85, 37.50),
        "pixelcnn": ("PixCNN", (31.31, 5.98, 42.60, 36.31, 19.74, 26.29, 23.76, 8.33, 50.57,
                                12.49), 25.74, 25.03),
        "pixelvae": ("PixelVAE", (40.89, 6.08, 56.12, 38.33, 19.09, 28.12, 33.16, 11.75, 54.85,
                                  11.50), 29.99, 30.64),
        "dcgan": ("DC-GAN", (44.16, 6.00, 14.40, 12.92, 7.38, 9.75, 9.68, 7.17, 12.87, 8.23),
                  13.25, 9.71),
    })
TABLE_4_2 = dict(
    title="Table 4.2: leave-one-class-out OOD detection on CIFAR-10, AUPR (%)",
    experiment="experiments/ood_cifar10.py",
    classes=("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship",
             "truck"),
    skew=(10,) * 10,
    models={
        "iaf_vae": ("IAF", (5.19, 28.83, 7.48, 8.57, 24.60, 9.71, 60.30, 18.78, 5.36, 21.96),
                    19.08, 14.24),
        "pixelcnnpp": ("PixelCNN++", (30.39, 8.40, 11.46, 9.79, 7.41, 9.00, 6.74, 7.88, 15.63,
                                      8.36), 11.51, 8.70),
        "pixelvae": ("PixelVAE", (6.95, 14.11, 9.83, 9.23, 11.48, 8.63, 17.21, 10.64, 6.88,
                                  11.45), 10.64, 10.24),
        "dcgan": ("DC-GAN", (10.46, 12.00, 11.38, 10.47, 8.37, 11.32, 12.73, 10.57, 13.14,
                             12.50), 11.29, 11.35),
    })
