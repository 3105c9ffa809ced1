"""One module per `pos-app` command: `HELP`, `add_arguments(parser)`, `run(args) -> int`."""
