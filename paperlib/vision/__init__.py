"""Part D: vision architectures (detection ops, Faster R-CNN, spatial transformers)."""
