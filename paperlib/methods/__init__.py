"""Part C: training methods and evaluation (distillation, margin losses, RCA)."""
