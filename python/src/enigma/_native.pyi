"""The Rust extension (crate ``enigma-python``): thin wrappers over the core.

Use the public classes of :mod:`enigma` instead; these are their engine. A client is either
blocking (``blocking=True``: calls wait on the calling thread with the GIL released, Ctrl-C
interrupts them) or asyncio (calls return an ``asyncio.Future`` of the running loop; cancelling
it cancels the Rust future). Handles made by a client share its mode. Errors are the classes of
:mod:`enigma.errors`. Calls on a handle made before ``os.fork()`` raise ``RuntimeError``.
"""

from typing import Any, Dict, List, Optional, Tuple, final

from typing_extensions import Self

__all__ = ["Client", "Session", "Task", "EventStream", "Batch", "Simulator", "drain", "pending_cleanups", "shutdown", "runtime_alive", "refresh", "option_fields", "numeric_fields", "simulator_defaults", "simulator_test_settings", "cli_main", "session_timeline", "session_live_view", "result_timeline", "batch_timeline", "file_timeline", "__version__", "ERROR_CODES", "EVENT_TYPES", "SESSION_COMMANDS"]

__version__: str
ERROR_CODES: List[str]
"""The core's error codes (``enigma::ErrorCode::ALL``): each has its class in :mod:`enigma.errors`."""
EVENT_TYPES: List[str]
"""The core's live event types (``enigma::EventKind::ALL``): each has its class in :mod:`enigma.events`."""
SESSION_COMMANDS: List[str]
"""The core's commands without arguments (``enigma::SessionCommand::ALL``), for ``Session.command``: each is a method of the session classes."""

@final
class Client:
    def __new__(cls, settings: Dict[str, Any], *, blocking: bool = False) -> Self:
        """``settings``: those given, by the core's names (``option_fields()["client"]``; durations
        in seconds); the core reads and checks them, the rest come from ``ENIGMA_*``, then the defaults."""
    @property
    def blocking(self) -> bool: ...
    @property
    def base_url(self) -> str: ...
    @property
    def api_key_hint(self) -> Optional[str]:
        """The key in redacted form (``enig_…[redacted]``)."""
    def settings(self) -> Dict[str, Any]:
        """Settings that travel with pickled handles (never the key)."""
    def with_mode(self, *, blocking: bool) -> Client:
        """The same client (pool, open sessions) in the given mode."""
    def run_many(self, tasks: List[Any], options: Dict[str, Any], guardrail: bool = False) -> Batch:
        """Starts a batch (tasks and options as Python objects, read and checked by the core)."""
    def start_session(self, options: Dict[str, Any]) -> Any:
        """-> Session (or a future of one)."""
    def run_task(self, options: Dict[str, Any]) -> Any:
        """-> enigma.TaskResult (or a future of one)."""
    def start_task(self, options: Dict[str, Any]) -> Any:
        """-> Task (or a future of one)."""
    def session(self, session_id: str) -> Session: ...
    def task(self, session_id: str, task_id: str) -> Task: ...
    def task_from_completion(self, completion: Any) -> Task: ...
    def health(self) -> Any:
        """-> enigma.Health (or a future of one)."""
    def active_sockets(self) -> Any:
        """-> enigma.ActiveSockets (or a future of one)."""
    def close(self) -> None:
        """Closes the client: later calls raise ``ValidationError`` (field ``client``)."""
    @property
    def closed(self) -> bool: ...
    def open_session_ids(self) -> List[str]: ...
    def terminate_open_sessions(self) -> Any:
        """-> list of (session_id, exception) (or a future of one)."""
    def unended_sessions(self, *, terminate: bool = False) -> Any:
        """-> list of enigma.UnendedSession (or a future of one)."""
    @property
    def ledger_path(self) -> Optional[str]: ...

@final
class Session:
    @property
    def id(self) -> str: ...
    @property
    def blocking(self) -> bool: ...
    @property
    def info(self) -> Optional[Dict[str, Any]]: ...
    @property
    def live_view_url(self) -> Optional[str]: ...
    @property
    def initial_task(self) -> Optional[Task]: ...
    @property
    def is_terminated(self) -> bool: ...
    @property
    def client(self) -> Client: ...
    def task(self, task_id: str) -> Task: ...
    def events(self) -> EventStream:
        """The session's live events."""
    def new_task(self, options: Dict[str, Any]) -> Any:
        """-> Task (or a future of one)."""
    def command(self, name: str) -> Any: ...
    def terminate(self, *, detached: bool = False) -> Any:
        """``detached``: runs to its end even if the caller stops waiting."""
    def click(self, x: int, y: int) -> Any: ...
    def double_click(self, x: int, y: int) -> Any: ...
    def type_text(self, text: str, human_like: bool = False) -> Any: ...
    def press_key(self, key: str) -> Any: ...
    def answer_guardrail(self, text: str, resume: bool = True) -> Any: ...

@final
class Task:
    @property
    def id(self) -> Optional[str]: ...
    def wait_for_id(self) -> Any:
        """-> str (or a future of one)."""
    @property
    def session_id(self) -> str: ...
    @property
    def blocking(self) -> bool: ...
    @property
    def client(self) -> Client: ...
    def session(self) -> Session: ...
    def poll(self) -> Any:
        """-> enigma.TaskStatus (or a future of one)."""
    def result(self, options: Dict[str, Any], *, on_status: Optional[Any] = None) -> Any:
        """-> enigma.TaskResult (or a future of one)."""

@final
class EventStream:
    @property
    def blocking(self) -> bool: ...
    @property
    def closed(self) -> bool: ...
    def next(self) -> Any:
        """-> an enigma.events.Event, or None at the end (or a future of it)."""
    def close(self) -> None: ...

@final
class Batch:
    def next(self) -> Any:
        """-> an item dict, a guardrail question dict (with ``token``), or None at the end (or a future of it)."""
    def answer(self, token: int, text: Optional[str] = None) -> None: ...
    def progress(self) -> Dict[str, Any]: ...
    def summary(self) -> Any: ...
    def cancel(self) -> None: ...
    def finished(self) -> Any:
        """-> the summary dict (or a future of it)."""

@final
class Simulator:
    def __new__(cls, settings: Dict[str, Any]) -> Self:
        """``settings``: those given, over the simulator's own defaults (:func:`simulator_defaults`)."""
    @property
    def url(self) -> str: ...
    @property
    def closed(self) -> bool: ...
    def stats(self) -> Dict[str, Any]: ...
    def close(self) -> None: ...

def drain(timeout: float = 5.0) -> int:
    """Waits for detached work (terminates of left ``with`` blocks) and the core's background
    cleanups (terminates of sessions whose caller stopped waiting); returns how many still run."""

def pending_cleanups() -> int:
    """How many detached tasks and core cleanups are running now."""

def shutdown() -> None:
    """Stops the runtime of this process (interpreter exit)."""

def runtime_alive() -> bool: ...
def option_fields() -> Dict[str, List[str]]:
    """The core's option fields in Python's spelling: ``{"session": [...], "task": [...], "wait": [...], "client": [...]}``
    (``client``: the client's settings, which ``AsyncClient(...)`` and ``Client(...)`` take)."""
def numeric_fields() -> Dict[str, List[str]]:
    """The fields that take a number, in Python's spelling, by kind: ``session``, ``task``, ``wait`` and ``client`` (the settings of ``Client(...)``)."""
def simulator_defaults() -> Dict[str, Any]:
    """The simulator's own defaults, keyed as the settings of ``Simulator(...)``."""
def simulator_test_settings() -> Dict[str, Any]:
    """What the test kits change from the defaults, the same in every language: ``time_scale`` 0.01, ``rate_limit`` 0."""
def cli_main(argv: List[str]) -> int:
    """Runs the ``enigma`` command line ``argv`` (program name first); returns its exit status."""
def session_timeline(session: Session) -> Tuple[str, Dict[str, Any]]:
    """The session's timeline so far: its HTML fragment and its model."""
def session_live_view(session: Session, read_only: bool) -> Optional[Dict[str, Any]]:
    """The live view (``url``, ``html``, ``width``, ``height``, ``read_only``); None when re-attached."""
def result_timeline(result: Dict[str, Any]) -> str:
    """A result's timeline (from ``TaskResult.to_dict()``) as an HTML fragment."""
def batch_timeline(batch: Batch) -> str:
    """A batch's timeline so far as an HTML fragment."""
def file_timeline(path: str) -> Tuple[str, Dict[str, Any]]:
    """A recording's or a batch journal's timeline: its HTML fragment and its model."""
def refresh() -> None:
    """Forgets cached logger levels of the Rust side."""
