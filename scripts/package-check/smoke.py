"""Smoke test of an installed enigma-click wheel, run by scripts/package-check.sh in a fresh venv
with no Rust toolchain on PATH: the in-process simulator, a session, a task, pause and resume,
the result, terminate; and the `enigma` command the wheel installs. Argument: the version the
wheel must report."""

import asyncio
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import enigma
from enigma.testing import Simulator

expected_version = sys.argv[1]
if os.environ.get("ENIGMA_SMOKE_NO_RUST") == "1":  # package-check.sh: prove no toolchain was at hand
    assert shutil.which("cargo") is None and shutil.which("rustc") is None, "a Rust toolchain is on PATH"
assert "site-packages" in enigma.__file__, f"enigma imported from {enigma.__file__}, not the installed wheel"
assert enigma.__version__ == expected_version, (enigma.__version__, expected_version)


async def main() -> None:
    with Simulator(time_scale=0.01, rate_limit=None) as sim:
        async with sim.async_client() as client:
            session = await client.start_session()
            task = await session.new_task("Search for wireless keyboards #sim duration=5")
            await session.pause()
            await session.resume()
            result = await task.result(timeout=60)
            assert result.outcome == "completed", result
            await session.terminate()
        # The sync facade, once, over the same simulator.
        with sim.client() as client:
            assert client.run_task("Find the opening hours #sim duration=2", timeout=60).outcome == "completed"
        assert sim.stat("sessions.open") == 0, sim.stats()


asyncio.run(main())

# The `enigma` console script, next to the venv's python (Scripts/enigma.exe on Windows).
script = shutil.which("enigma", path=str(Path(sys.executable).parent))
assert script is not None, f"no enigma command next to {sys.executable}"
version = subprocess.run([script, "--version"], capture_output=True, text=True, timeout=60, check=True).stdout
assert version.strip() == f"enigma {expected_version}", version
with Simulator(time_scale=0.01, rate_limit=None) as sim:
    env = {**os.environ, "ENIGMA_BASE_URL": sim.url, "ENIGMA_API_KEY": "enig_" + "smoke" * 6}
    health = subprocess.run([script, "--json", "health"], capture_output=True, text=True, timeout=60, env=env, check=True)
    assert json.loads(health.stdout)["status"] == "healthy", health.stdout
print(f"python smoke test passed: enigma-click {enigma.__version__} from {enigma.__file__}")
