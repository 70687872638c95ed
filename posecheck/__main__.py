"""`python -m posecheck` runs the command line."""

import sys

from posecheck.cli import main

sys.exit(main())
