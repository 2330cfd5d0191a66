"""``python -m licsim.calibrate``: see :func:`licsim.calibrate.main`."""

import sys

from licsim.calibrate import main

sys.exit(main())
