"""Part D: vision architectures (detection ops, Faster R-CNN, spatial transformers, two-stream and 3-D video networks)."""
