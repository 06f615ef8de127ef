"""Toy data, made in code or shipped by packages (nothing is downloaded at run time).

One module per kind of data; everything is re-exported here, so chapters write ``data.digits(...)``.
"""

from paperlib.data.cross_domain import CrossDomain, Interactions, cross_domain
from paperlib.data.detection_shapes import SHAPE_NAMES, DetectionScenes, detection_scenes
from paperlib.data.handwritten import DistortedDigits, Split, digits, distorted_digits, upsample_digits
from paperlib.data.mixtures import Mixture, Moons, gaussian_grid, gaussian_ring, two_moons
from paperlib.data.moving_shapes import Clips, boring_video, motion_clips
from paperlib.data.noisy_digits import noisy_digits
from paperlib.data.patch_scenes import PALETTES, PATCH_SHAPES, PatchBank, PatchScenes, paste_patches, patch_bank, patch_scenes
from paperlib.data.planar import LabelledPoints, outlier_blobs
from paperlib.data.segmentation_shapes import OrganScans, degrade_masks, organ_scans
from paperlib.data.styled_shapes import TEXTURES, StyledShapes, styled_shapes

__all__ = [
    "CrossDomain", "Interactions", "cross_domain",
    "SHAPE_NAMES", "DetectionScenes", "detection_scenes",
    "DistortedDigits", "Split", "digits", "distorted_digits", "upsample_digits",
    "noisy_digits",
    "Clips", "boring_video", "motion_clips",
    "LabelledPoints", "outlier_blobs",
    "PALETTES", "PATCH_SHAPES", "PatchBank", "PatchScenes", "patch_bank", "patch_scenes", "paste_patches",
    "Mixture", "Moons", "gaussian_grid", "gaussian_ring", "two_moons",
    "OrganScans", "degrade_masks", "organ_scans",
    "TEXTURES", "StyledShapes", "styled_shapes",
]
