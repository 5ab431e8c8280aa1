"""`python -m jixiao` — the same as the `jixiao` command."""

from jixiao.cli.app import main

main()
