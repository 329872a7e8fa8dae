"""`python -m policylang …`: the same command as `policylang …` (where the script is not on PATH)."""

from policylang.cli import main

main()
