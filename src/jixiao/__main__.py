"""`python -m jixiao` — the same as the `jixiao` command."""

from jixiao.cli.launch import main

main()
