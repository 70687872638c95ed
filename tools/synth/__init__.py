"""posecheck-synth: known-truth stretch clips rendered from a posable body (see README.md)."""
