"""Smoke test of an installed enigma-click wheel, run by scripts/package-check.sh in a fresh venv
with no Rust toolchain on PATH: the in-process simulator, a session, a task, pause and resume,
the result, terminate. Argument: the version the wheel must report."""

import asyncio
import os
import shutil
import sys

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
print(f"python smoke test passed: enigma-click {enigma.__version__} from {enigma.__file__}")
