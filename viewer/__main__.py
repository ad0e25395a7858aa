"""``python -m gamegen.viewer ARGS``: the same as ``gamegen view ARGS``."""

import sys

from gamegen.viewer.launch import main

sys.exit(main())
