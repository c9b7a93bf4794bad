"""The `enigma` command that `pip install enigma-click` puts on the PATH (the console script
`enigma._cli:main`, which runs the CLI's own code in the extension): it runs, talks to a
service, and exits with the CLI's statuses."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

import enigma
from enigma.testing import Simulator


def enigma_command(args: List[str], env: Dict[str, str]) -> "subprocess.CompletedProcess[str]":
    script = shutil.which("enigma", path=str(Path(sys.executable).parent))
    assert script is not None, f"the package installed no enigma command next to {sys.executable}"
    return subprocess.run([script, *args], capture_output=True, text=True, timeout=60, env=env)


def test_the_installed_enigma_command_runs_the_cli(sim: Simulator) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENIGMA_")}
    version = enigma_command(["--version"], env)
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == f"enigma {enigma.__version__}"
    env.update(ENIGMA_BASE_URL=sim.url, ENIGMA_API_KEY="enig_" + "script" * 5)
    health = enigma_command(["--json", "health"], env)
    assert health.returncode == 0, health.stderr
    assert json.loads(health.stdout)["status"] == "healthy"
    # The CLI's own exit statuses come through: a command line it refuses is a usage error (2).
    refused = enigma_command(["no-such-command"], env)
    assert refused.returncode == 2 and "unrecognized subcommand" in refused.stderr
