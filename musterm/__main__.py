import sys

from musterm.cli import main

sys.exit(main())
