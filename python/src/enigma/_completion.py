"""What ``Client.task_from_completion`` accepts, as the JSON the core reads: an answer of the
OpenAI-compatible endpoint as the official ``openai`` package gives it (a ``ChatCompletion``, a
``ChatCompletionChunk``, an ``APIStatusError`` / ``APIError``), or the same as a dict. The
``enigma`` block itself is read by the core."""

from __future__ import annotations

from typing import Any, Mapping


def completion_json(completion: Any) -> Any:
    """The value as plain JSON (dicts and lists); anything else goes to the core, which says
    what it lacks."""
    if isinstance(completion, Mapping):
        return dict(completion)
    # openai's APIError: `.body` is the answer's `error` object (where the block is).
    body = getattr(completion, "body", None)
    if isinstance(completion, BaseException) and isinstance(body, Mapping):
        return dict(body)
    # A pydantic model (the openai package's types): extra fields such as `enigma` included.
    dump = getattr(completion, "model_dump", None)
    if callable(dump):
        return dump()
    return completion
