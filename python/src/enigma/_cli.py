"""The ``enigma`` console script: ``pip install enigma-click`` puts the ``enigma`` command on
the PATH. It runs the CLI's own Rust code inside the package's extension (the same core and
simulator the package already holds), so the wheel carries no second binary."""

from __future__ import annotations

import signal
import sys

from . import _native


def main() -> None:
    # The command handles Ctrl-C itself (terminates what it opened, exits 130). Python's own
    # handler would also raise KeyboardInterrupt once the command returns: hand SIGINT back to
    # the default, unless the shell started us with it ignored (then it stays ignored).
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
    sys.stdout.flush()
    sys.exit(_native.cli_main(["enigma", *sys.argv[1:]]))


if __name__ == "__main__":
    main()
