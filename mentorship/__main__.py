"""Allow `python -m mentorship …` as a synonym for the `mentorship` command."""

from mentorship.cli import main

main()
