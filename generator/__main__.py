"""`python -m generator` runs the `corroborate` command line."""

from .cli import main

raise SystemExit(main())
