"""``python -m gamegen ARGS`` is ``gamegen ARGS``."""

import sys

from gamegen.cli import main

sys.exit(main())
