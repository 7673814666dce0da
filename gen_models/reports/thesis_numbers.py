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

# =============================================================================================
# Chapter 3
# =============================================================================================

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
