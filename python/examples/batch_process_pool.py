"""Fan a large batch out over processes, one API key (and one journal) per worker, with the
standard library's ``concurrent.futures.ProcessPoolExecutor`` (docs/scaling.md).

Each worker runs ``client.run_many`` under its own key, so each stays within its own key's
limits (5 sessions, 10 creates per minute); the runner inside paces itself. A shard names the
*environment variable* that holds its key, never the key: what is pickled to the worker holds
no secret. Rerunning with the same journals resumes each shard where it stopped.

    ENIGMA_KEY_A=enig_... ENIGMA_KEY_B=enig_... python batch_process_pool.py tasks.txt
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Sequence

import enigma


@dataclass(frozen=True)
class Shard:
    """One worker's share: its tasks, the name of the variable with its key, its journal."""

    tasks: List[str]
    key_variable: str
    journal: str


def run_shard(shard: Shard) -> Dict[str, Any]:
    """Runs one shard in a worker process; returns its summary and its items as dicts."""
    with enigma.Client(api_key=os.environ[shard.key_variable]) as client:
        batch = client.run_many(shard.tasks, journal=shard.journal)
        items = [item.to_dict() for item in batch]
        return {"key_variable": shard.key_variable, "summary": batch.summary, "items": items}


def shard(tasks: Sequence[str], key_variables: Sequence[str], journal_dir: Path) -> List[Shard]:
    """Splits the tasks into one shard per key, round robin (a shard's order is kept, so its
    journal matches on a rerun)."""
    return [
        Shard(list(tasks[i :: len(key_variables)]), variable, str(journal_dir / f"{variable}.jsonl"))
        for i, variable in enumerate(key_variables)
    ]


def run(tasks: Sequence[str], key_variables: Sequence[str], journal_dir: Path) -> List[Dict[str, Any]]:
    shards = shard(tasks, key_variables, journal_dir)
    # "spawn": a fresh interpreter per worker (never fork a process that has a client running).
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=len(shards), mp_context=context) as pool:
        return list(pool.map(run_shard, shards))


if __name__ == "__main__":
    lines = [line.strip() for line in Path(sys.argv[1]).read_text().splitlines() if line.strip()]
    variables = sorted(v for v in os.environ if v.startswith("ENIGMA_KEY_"))
    for result in run(lines, variables, Path(".")):
        print(result["key_variable"], result["summary"])
