"""Features: named, documented, pure measurements of one pose frame (plus the side facing the camera)."""

from posecheck.features.catalogue import FEATURES, Feature, measure_all
from posecheck.features.skeleton import Skeleton, Unseen

__all__ = ["FEATURES", "Feature", "Skeleton", "Unseen", "measure_all"]
