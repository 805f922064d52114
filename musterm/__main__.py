import sys

from musterm.cli.main import main

sys.exit(main())
