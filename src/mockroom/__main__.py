import sys

from mockroom.cli import main

sys.exit(main())
