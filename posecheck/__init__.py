"""posecheck: a webcam form coach for back-pain relief stretches.

Data flows one way: source -> estimator -> features -> checker -> sinks.
"""

__version__ = "0.1.0"
