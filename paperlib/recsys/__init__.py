"""Part E: recommendation (PCRec: graph pre-training for cross-domain recommendation)."""
