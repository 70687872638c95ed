"""Recognition: which catalogue stretch is the person doing? (`--pose auto`, or no stretch chosen.)"""

from posecheck.recognition.model import RecognitionModel, load_model
from posecheck.recognition.recognizer import Recognizer, Segment

__all__ = ["RecognitionModel", "Recognizer", "Segment", "load_model"]
