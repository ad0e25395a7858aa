"""``python -m gamegen.viewer ARGS``: the same as ``gamegen view ARGS``."""

import sys

from .launch import main

sys.exit(main())
