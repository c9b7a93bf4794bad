# Generated from _async.py by python/scripts/gen_sync.py: edit _async.py, then run it.
"""The sync API: :class:`Client`, :class:`Session`, :class:`Task`, for scripts and notebooks.

The same Rust core as the asyncio API (no second implementation): each call waits on the
calling thread with the GIL released, works inside a running event loop (Jupyter), and answers
Ctrl-C at once with ``KeyboardInterrupt`` (the Rust call is cancelled).
"""

from __future__ import annotations

from types import TracebackType
import os
from typing import Callable, Iterable, List, Optional, Tuple, Type, Union

from . import _native as _ext
from . import _public, _signals
from ._batch import Batch, GuardrailCallback, TaskSpec, _options
from ._completion import completion_json
from ._handle_base import BLOCKING, ClientBase, SessionBase, TaskBase, log, options
from ._models import ActiveSockets, Health, TaskResult, TaskStatus, UnendedSession
from ._progress import Progress
from .events import AnyEvent

__all__ = ["Client", "Session", "Task", "EventStream"]


class Client(ClientBase):
    """The sync client (same settings and surface as :class:`enigma.AsyncClient`).

    The settings are the core's (``enigma._native.option_fields()["client"]``, the same in
    Rust and Node); each one given wins over its ``ENIGMA_*`` variable, then the default.
    Durations are seconds.

    ``api_key`` and ``base_url`` default to ``ENIGMA_API_KEY`` and ``ENIGMA_BASE_URL`` (else
    ``https://connect.enigma.click``). ``request_timeout`` (default: ``ENIGMA_REQUEST_TIMEOUT``
    or 75 s), ``connect_timeout`` (10 s) and ``poll_interval`` (default:
    ``ENIGMA_POLL_INTERVAL`` or 2 s). ``max_retries`` (default: ``ENIGMA_MAX_RETRIES`` or 2)
    applies to requests that are safe to retry (a request that creates a session or task is
    never resent once it may have reached the service); ``retry_backoff`` is the first delay
    between retries (0.5 s), doubled each retry with jitter up to ``retry_backoff_max`` (30 s);
    ``retry_after_max`` (``ENIGMA_RETRY_AFTER_MAX`` or 60 s) is the longest ``Retry-After``
    waited out. ``max_response_bytes`` (``ENIGMA_MAX_RESPONSE_BYTES`` or 16 MiB) bounds one
    answer. The key is refused over plain ``http://`` to anything but loopback unless
    ``allow_insecure_http``; ``extra_root_ca_pem`` adds trusted root certificates (PEM text;
    ``ENIGMA_CA_BUNDLE`` names a file). ``live_events`` (default: on, or
    ``ENIGMA_LIVE_EVENTS``) lets the core use the session's live connection for waits and
    commands; ``False`` keeps to REST. ``user_agent_prefix`` replaces ``enigma-python/<version>``
    at the front of the User-Agent. ``ledger`` is the session ledger's file, or ``"off"``
    (default: ``ENIGMA_LEDGER``, else the user's state directory). ``record`` (default:
    ``ENIGMA_RECORD``, else off): a folder where the flight recorder writes one JSONL file per
    session (every request, answer, event and command; never the key; docs/recording.md), which
    :class:`enigma.testing.Simulator` ``(replay=...)`` serves back; ``record_max_bytes``
    (``ENIGMA_RECORD_MAX_BYTES`` or 64 MiB) bounds one session's file. For processes with
    thousands of sessions (docs/benchmarks.md, "one live session"): ``event_buffer``
    (``ENIGMA_EVENT_BUFFER`` or 128) live events kept per reader of a session's events,
    ``socket_read_buffer_bytes`` (``ENIGMA_SOCKET_READ_BUFFER_BYTES`` or 8 KiB) the first size of
    its WebSocket read buffer, ``timeline_records`` (``ENIGMA_TIMELINE_RECORDS`` or 1000, 0 for
    none) the records it keeps for ``session.timeline()``.

    Python's own: with ``terminate_on_exit=True``, sessions still open when the interpreter
    exits are terminated (otherwise they are named in an
    :class:`~enigma.errors.OpenSessionWarning`). ``handle_signals`` (default: on, or
    ``ENIGMA_HANDLE_SIGNALS``): while this client has sessions open or a ``run_task`` running,
    SIGTERM ends them before the process exits (see the README's "Signals").

    Use it as ``with Client() as client:`` or call :meth:`close`.
    """

    def __init__(
        self,
        api_key: Optional[str] = None,
        base_url: Optional[str] = None,
        *,
        request_timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        retry_backoff: Optional[float] = None,
        retry_backoff_max: Optional[float] = None,
        retry_after_max: Optional[float] = None,
        max_response_bytes: Optional[int] = None,
        poll_interval: Optional[float] = None,
        allow_insecure_http: Optional[bool] = None,
        extra_root_ca_pem: Optional[str] = None,
        live_events: Optional[bool] = None,
        user_agent_prefix: Optional[str] = None,
        ledger: Optional[str] = None,
        record: Optional[Union[str, "os.PathLike[str]"]] = None,
        record_max_bytes: Optional[int] = None,
        event_buffer: Optional[int] = None,
        socket_read_buffer_bytes: Optional[int] = None,
        timeline_records: Optional[int] = None,
        terminate_on_exit: bool = False,
        handle_signals: Optional[bool] = None,
    ) -> None:
        if record is not None:
            record = os.fspath(record)
        self._init(options(locals(), "terminate_on_exit", "handle_signals"), terminate_on_exit, handle_signals, BLOCKING)

    @classmethod
    def _wrap(cls, native: _ext.Client) -> "Client":
        self = cls.__new__(cls)
        self._adopt(native)
        return self

    def __enter__(self) -> "Client":
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.close()

    def close(self) -> None:
        """Closes the client, as ``close()`` does in Node: its later calls raise
        :class:`~enigma.errors.ValidationError` (field ``client``); handles made before keep
        working. Sessions still open are terminated first if the client was made with
        ``terminate_on_exit=True`` (failures are logged); otherwise they stay open: leave their
        ``with`` blocks, or call ``terminate()``. Idempotent."""
        if self._terminate_on_exit and not self._native.closed:
            for session_id, error in self.terminate_open_sessions():
                log.warning("could not terminate session %s on close: %s", session_id, error)
        self._native.close()

    def start_session(
        self,
        *,
        task_details: Optional[str] = None,
        starting_url: Optional[str] = None,
        max_duration: Optional[int] = None,
        max_input_tokens: Optional[int] = None,
        max_output_tokens: Optional[int] = None,
        avoid_domains: Optional[List[str]] = None,
        terminate_on_completion: Optional[bool] = None,
        live_events: Optional[bool] = None,
    ) -> "Session":
        """Starts a browser session (it bills until it ends). ``max_duration`` is in ms
        (1..300000). ``live_events`` overrides the client's setting for this session
        (``False``: its waits and commands keep to REST).
        The session is a context manager that terminates it on leaving::

            with client.start_session(starting_url="https://example.com") as s:
                ...
        """
        native = self._native.start_session(options(locals()))
        self._started_session()
        return Session(native, self)

    def run_many(
        self,
        tasks: Iterable[TaskSpec],
        *,
        concurrency: int = 5,
        budget: Optional[float] = None,
        journal: Union[None, str, "os.PathLike[str]"] = None,
        tasks_per_session: int = 1,
        on_guardrail: Optional[GuardrailCallback] = None,
        progress: bool = False,
        retry_unknown: bool = False,
        skip_invalid: bool = False,
    ) -> Batch:
        """Runs many tasks under this key: ``for item in client.run_many(tasks):``.

        Items come in completion order, tagged with ``index`` (and the task's ``id``). At most
        ``concurrency`` sessions at once (lowered by itself when the key has no free session);
        creates are paced from the service's rate-limit headers. ``budget`` (USD): when ended
        plus running tasks' cost reaches it, running tasks are stopped and no new one starts.
        ``journal``: a JSONL file; a rerun with it skips what finished and re-attaches to what
        ran. ``on_guardrail(question)`` may return an answer (or None: the task ends
        ``guardrail``). ``progress=True`` draws a tqdm bar when tqdm is installed. Bad tasks or
        options raise ``ValidationError`` naming them (``tasks[3]``) before anything is sent."""
        options = _options(concurrency, budget, journal, tasks_per_session, retry_unknown, skip_invalid)
        return Batch(self._native, tasks, options, on_guardrail, progress)

    def run_task(
        self,
        task_details: str,
        *,
        timeout: Optional[float] = None,
        max_cost: Optional[float] = None,
        starting_url: Optional[str] = None,
        max_duration: Optional[int] = None,
        max_input_tokens: Optional[int] = None,
        max_output_tokens: Optional[int] = None,
        avoid_domains: Optional[List[str]] = None,
        terminate_on_completion: Optional[bool] = None,
        live_events: Optional[bool] = None,
    ) -> TaskResult:
        """One-shot: a session that runs one task and ends by itself; returns the result.

        Nothing is left open: a result with ``outcome == "guardrail"`` (the agent asks
        ``result.question``) ends the session before returning, so the question cannot be
        answered here; to answer questions, use ``start_session`` and ``new_task``. Cancelled
        (Ctrl-C, ``asyncio`` cancellation), the session is terminated too."""
        args = options(locals())
        with _signals.one_shot(self):
            return self._native.run_task(args)

    def start_task(
        self,
        task_details: str,
        *,
        starting_url: Optional[str] = None,
        max_duration: Optional[int] = None,
        max_input_tokens: Optional[int] = None,
        max_output_tokens: Optional[int] = None,
        avoid_domains: Optional[List[str]] = None,
        terminate_on_completion: Optional[bool] = None,
        live_events: Optional[bool] = None,
    ) -> "Task":
        """One-shot without waiting: starts ``run-task`` and returns the task to wait on."""
        native = self._native.start_task(options(locals()))
        return Task(native, self)

    def session(self, session_id: str) -> "Session":
        """Re-attaches to a session by id (e.g. started in another process). No request."""
        return Session(self._native.session(session_id), self)

    def task(self, session_id: str, task_id: str) -> "Task":
        """Re-attaches to a task by ids. No request."""
        return Task(self._native.task(session_id, task_id), self)

    def task_from_completion(self, completion: object) -> "Task":
        """The task behind an answer of the OpenAI-compatible endpoint (``/v1/chat/completions``):
        a completion or a stream chunk of the official ``openai`` package (the first chunk names
        the task), its ``APIStatusError`` (a guardrail), or the same as a dict. No request: poll
        it, wait for it, or stop it (``task.session``)."""
        return Task(self._native.task_from_completion(completion_json(completion)), self)

    def health(self) -> Health:
        """Service health (no key needed)."""
        return self._native.health()

    def active_sockets(self) -> ActiveSockets:
        """Active instance connections (no key needed)."""
        return self._native.active_sockets()

    def unended_sessions(self, *, terminate: bool = False) -> List[UnendedSession]:
        """The sessions the local ledger saw opened and never saw end (a process that died left
        them billing), each checked against the service when it was opened with this client's
        key and base URL. With ``terminate=True``, those still open whose process is gone are
        terminated. The same as ``enigma session list [--terminate]``."""
        return self._native.unended_sessions(terminate=terminate)

    @property
    def ledger_path(self) -> Optional[str]:
        """The session ledger's file (``ENIGMA_LEDGER``, else the user's state directory);
        ``None`` when it is off."""
        path = self._native.ledger_path
        return None if path is None else str(path)

    def terminate_open_sessions(self) -> List[Tuple[str, BaseException]]:
        """Terminates every session started through this client and still open; returns the
        failures as ``(session_id, exception)``."""
        failures = self._native.terminate_open_sessions()
        _signals.session_ended()
        return failures


class Session(SessionBase):
    """A browser session. ``with session:`` terminates it on leaving, for any reason
    (exception, Ctrl-C). Pickles as its id."""

    @property
    def client(self) -> Client:
        """The client of this session."""
        if self._client_obj is None:
            self._client_obj = Client._wrap(self._native.client)
        return self._client_obj

    @property
    def initial_task(self) -> "Optional[Task]":
        """The task started by ``task_details`` at start, when the service named it."""
        native = self._native.initial_task
        return None if native is None else Task(native, self._client_obj)

    def task(self, task_id: str) -> "Task":
        """A handle on a task of this session. No request."""
        return Task(self._native.task(task_id), self._client_obj)

    def events(self) -> "EventStream":
        """The session's live events (:mod:`enigma.events`), from the moment the stream
        connects (its first event is ``connected``) until the session ends::

            for event in session.events():
                print(event)

        Each step waits on this thread (Ctrl-C interrupts it at once). Several streams may
        watch one session. Leaving the loop and dropping the stream, ``close()`` or ``with``
        closes it."""
        return EventStream(self._native.events())

    def __enter__(self) -> "Session":
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        # Detached: the terminate runs to its end in Rust even if this call is interrupted
        # (cancelled, a second Ctrl-C), and interpreter exit waits for it. (Cancellation and
        # Ctrl-C are BaseExceptions: they pass the `except` below.)
        try:
            self._native.terminate(detached=True)
            _signals.session_ended()
        except Exception as err:
            if exc is None:
                raise
            log.warning("could not terminate session %s: %s", self.id, err)

    def new_task(
        self,
        task_details: str,
        *,
        max_duration: Optional[int] = None,
        max_input_tokens: Optional[int] = None,
        max_output_tokens: Optional[int] = None,
        starting_url: Optional[str] = None,
        avoid_domains: Optional[List[str]] = None,
        terminate_on_completion: Optional[bool] = None,
    ) -> "Task":
        """Starts a task (``max_duration`` in ms). One runs at a time, one more may wait
        queued; a third raises :class:`~enigma.errors.TaskAlreadyRunningError`."""
        native = self._native.new_task(options(locals()))
        return Task(native, self._client_obj)

    def pause(self) -> None:
        """Pauses the current task after its current action."""
        self._native.command("pause")

    def resume(self) -> None:
        """Resumes a paused task."""
        self._native.command("resume")

    def stop(self) -> None:
        """Stops the current task; the session takes new ones."""
        self._native.command("stop")

    def terminate(self) -> None:
        """Ends the session (final; idempotent)."""
        self._native.terminate()
        _signals.session_ended()

    def take_over(self) -> None:
        """Takes manual control of the browser (the agent pauses)."""
        self._native.command("take_over")

    def release(self) -> None:
        """Gives control back to the agent."""
        self._native.command("release")

    def click(self, x: int, y: int) -> None:
        """Clicks at window coordinates (x 0-1024, y 155-755)."""
        self._native.click(x, y)

    def double_click(self, x: int, y: int) -> None:
        """Double-clicks at window coordinates."""
        self._native.double_click(x, y)

    def type_text(self, text: str, human_like: bool = False) -> None:
        """Types text, optionally with human-like timing."""
        self._native.type_text(text, human_like)

    def press_key(self, key: str) -> None:
        """Presses one key (``Enter``, ``Escape``, ``Tab``, arrows..., or one character)."""
        self._native.press_key(key)

    def answer_guardrail(self, text: str, resume: bool = True) -> None:
        """Answers the agent's question; ``resume=False`` ends the task instead."""
        self._native.answer_guardrail(text, resume)


class Task(TaskBase):
    """A task of a session. Pickles as its ids."""

    @property
    def session(self) -> Session:
        """The task's session (re-attached by id)."""
        return Session(self._native.session(), self._client_obj)

    def wait_for_id(self) -> str:
        """The task id, once the service names the task (at once if it already did)."""
        return self._native.wait_for_id()

    def poll(self) -> TaskStatus:
        """One look at the task (first waits until the service names it)."""
        return self._native.poll()

    def result(
        self,
        timeout: Optional[float] = None,
        max_cost: Optional[float] = None,
        *,
        on_status: Optional[Callable[[TaskStatus], object]] = None,
        progress: bool = False,
    ) -> TaskResult:
        """Waits for the outcome (the inline answer if one came, else polls).

        ``timeout`` (seconds) raises :class:`~enigma.errors.WaitTimeout` (the task goes on;
        ``err.task`` can be waited on again). ``max_cost`` (USD) stops the task when its cost
        passes it (:class:`~enigma.errors.CostLimitExceeded`). A failure raises
        :class:`~enigma.errors.TaskFailedError`. ``on_status`` is called on this thread with
        every status polled meanwhile. ``progress=True`` shows the wait (state, cost, outcome):
        a tqdm bar when tqdm is installed (``pip install enigma-click[progress]``), else a line
        on stderr."""
        wait = options(locals(), "on_status", "progress")
        if not progress:
            return self._native.result(wait, on_status=on_status)
        shown = Progress(self.id)
        try:
            result = self._native.result(wait, on_status=shown.chain(on_status))
        except BaseException as err:
            shown.finish(None, err)
            raise
        shown.finish(result)
        return result


class EventStream:
    """An iterator over a session's live events (``session.events()``).

    Each step waits on the calling thread without the GIL; Ctrl-C raises ``KeyboardInterrupt``
    at once and keeps the stream (and any event on its way) for the next step. The iteration
    ends after the session ends (a :class:`~enigma.events.SessionEnded` event) or when the live
    connection cannot be had (a :class:`~enigma.events.ConnectError` event). ``close()``,
    ``with`` or dropping the stream closes it."""

    def __init__(self, native: _ext.EventStream) -> None:
        self._native = native

    def __iter__(self) -> "EventStream":
        return self

    def __next__(self) -> AnyEvent:
        event = self._native.next()
        if event is None:
            raise StopIteration
        return event

    def close(self) -> None:
        """Stops the stream. Idempotent."""
        self._native.close()

    @property
    def closed(self) -> bool:
        """Whether the stream was closed or has ended."""
        return self._native.closed

    def __enter__(self) -> "EventStream":
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self._native.close()

    def __repr__(self) -> str:
        return f"<EventStream closed={self.closed}>"


# Errors and unpickled handles of this mode are made in these classes.
_public.register(BLOCKING, client=Client, session=Session, task=Task)
