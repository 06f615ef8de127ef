"""Part C: training methods and evaluation (distillation, margin losses, mixup, Go Wide Then Narrow,
robust transfer, active learning, RCA)."""
