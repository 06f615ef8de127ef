"""Part A: latent-variable generative models (VAE, sigma-VAE, VQ-VAE, PixelCNN prior, VQ-VAE-2)."""
