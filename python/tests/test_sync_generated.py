"""`_sync.py` is generated from `_async.py` (python/scripts/gen_sync.py): the checked-in file
must be what the generator makes now, and the two APIs must offer the same calls with the same
parameters."""

from __future__ import annotations

import importlib.util
import inspect
from pathlib import Path
from types import ModuleType

import pytest

import enigma

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "gen_sync.py"


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_sync", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_sync_module_is_generated_from_async() -> None:
    gen = load_generator()
    expected = gen.generate(gen.SOURCE.read_text(encoding="utf-8"))
    assert gen.TARGET.read_text(encoding="utf-8") == expected, "run: python python/scripts/gen_sync.py"


def test_generator_refuses_a_docstring_it_can_no_longer_reword() -> None:
    gen = load_generator()
    source = gen.SOURCE.read_text(encoding="utf-8").replace("is called on the event loop with", "is called with")
    with pytest.raises(SystemExit, match="is called on the event loop with"):
        gen.generate(source)


@pytest.mark.parametrize(
    ("async_cls", "sync_cls"),
    [
        (enigma.AsyncClient, enigma.Client),
        (enigma.AsyncSession, enigma.Session),
        (enigma.AsyncTask, enigma.Task),
        (enigma.AsyncEventStream, enigma.EventStream),
    ],
)
def test_sync_api_mirrors_async_api(async_cls: type, sync_cls: type) -> None:
    renamed = {"__aenter__": "__enter__", "__aexit__": "__exit__", "__aiter__": "__iter__",
               "__anext__": "__next__", "aclose": "close"}
    for name, member in vars(async_cls).items():
        if not callable(member) or (name.startswith("_") and name not in renamed and name != "__init__"):
            continue
        twin = vars(sync_cls)[renamed.get(name, name)]
        assert inspect.iscoroutinefunction(twin) is False, name
        params = list(inspect.signature(member).parameters.values())
        twin_params = list(inspect.signature(twin).parameters.values())
        assert [(p.name, p.kind, p.default) for p in twin_params] == [
            (p.name, p.kind, p.default) for p in params
        ], name
