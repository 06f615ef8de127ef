"""Part B: adversarial and energy-based models (GANs, cGAN/IC-GAN, JEM, RetrieveGAN, TSIT)."""
