"""The official ``openai`` package against the simulator's OpenAI-compatible endpoint
(``base_url=sim.url + "/v1"``): what a user's OpenAI-SDK code sees, offline."""

from __future__ import annotations

from typing import Any

import enigma
import openai
import pytest

from enigma.testing import Simulator

MODEL = "enigma-browser-1"


def oai(sim: Simulator, **settings: Any) -> openai.OpenAI:
    settings.setdefault("api_key", sim.api_key())
    # The SDK's own retries would hide the status the tests look at.
    settings.setdefault("max_retries", 0)
    return openai.OpenAI(base_url=sim.url + "/v1", **settings)


def ask(text: str) -> list:
    return [{"role": "user", "content": text}]


def test_a_completion_names_its_session_and_task(sim: Simulator) -> None:
    completion = oai(sim).chat.completions.create(model=MODEL, messages=ask("Find a kettle #sim cost=0.3"))
    assert completion.choices[0].message.role == "assistant"
    assert "Find a kettle" in (completion.choices[0].message.content or "")
    assert completion.choices[0].finish_reason == "stop"
    assert completion.usage is not None and completion.usage.total_tokens > 0
    enigma_block = (completion.model_extra or {})["enigma"]
    assert enigma_block["cost"] == pytest.approx(0.3)
    assert len(enigma_block["sessionId"]) == 12 and len(enigma_block["taskId"]) == 12
    assert sim.stat("sessions.total") == 1 and sim.stat("sessions.open") == 0, "one session, ended after it"


def test_a_streamed_completion_reads_to_the_end(sim: Simulator) -> None:
    text = "Rain is expected on Tuesday afternoon in the north"
    stream = oai(sim).chat.completions.create(model=MODEL, messages=ask(f'Weather #sim message="{text}"'), stream=True)
    chunks = list(stream)
    assert chunks[0].choices[0].delta.role == "assistant"
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == text
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert (chunks[-1].model_extra or {})["enigma"]["taskId"] == (chunks[0].model_extra or {})["enigma"]["taskId"]
    assert sim.stat("sessions.open") == 0


def test_models_list_has_the_one_model(sim: Simulator) -> None:
    assert [m.id for m in oai(sim).models.list()] == [MODEL]


def test_a_guardrail_is_an_api_status_error(sim: Simulator) -> None:
    with pytest.raises(openai.APIStatusError) as caught:
        oai(sim).chat.completions.create(model=MODEL, messages=ask('Book a table #sim guardrail="Which day?"'))
    error = caught.value
    assert error.code == "guardrail_triggered"
    assert error.type == "guardrail_error"
    assert "Guardrail triggered: Which day?" in error.message
    assert sim.stat("sessions.open") == 0, "the request's session ended with it"


def test_a_guardrail_mid_stream_raises_the_sdk_error(sim: Simulator) -> None:
    stream = oai(sim).chat.completions.create(
        model=MODEL, messages=ask('Book a table #sim guardrail="Which day?"'), stream=True
    )
    with pytest.raises(openai.APIError) as caught:
        list(stream)
    assert caught.value.code == "guardrail_triggered"


def test_a_wrong_key_is_401(sim: Simulator) -> None:
    with pytest.raises(openai.AuthenticationError) as caught:
        oai(sim, api_key="sk-not-an-enigma-key").chat.completions.create(model=MODEL, messages=ask("x"))
    assert caught.value.status_code == 401
    assert caught.value.code == "invalid_api_key"


@pytest.mark.enigma_simulator(rate_limit=1)
def test_the_rate_limit_is_429(sim: Simulator) -> None:
    client = oai(sim)
    client.chat.completions.create(model=MODEL, messages=ask("first"))
    with pytest.raises(openai.RateLimitError) as caught:
        client.chat.completions.create(model=MODEL, messages=ask("second"))
    assert caught.value.status_code == 429
    assert caught.value.code == "rate_limit_exceeded"
    assert caught.value.response.headers.get("retry-after")
    assert sim.stat("sessions.total") == 1


async def test_the_async_client_works_the_same(sim: Simulator) -> None:
    client = openai.AsyncOpenAI(base_url=sim.url + "/v1", api_key=sim.api_key(), max_retries=0)
    completion = await client.chat.completions.create(model=MODEL, messages=ask("Async one"))
    assert "Async one" in (completion.choices[0].message.content or "")
    await client.close()


def test_task_from_completion_takes_the_openai_objects_and_dicts(sim: Simulator) -> None:
    key = sim.api_key()
    completion = oai(sim, api_key=key).chat.completions.create(model=MODEL, messages=ask("Find a kettle"))
    with sim.client(api_key=key) as client:
        task = client.task_from_completion(completion)
        status = task.poll()
        assert status.state == "completed"
        assert status.message == completion.choices[0].message.content
        assert task.session.id == (completion.model_extra or {})["enigma"]["sessionId"]
        as_dict = client.task_from_completion(completion.model_dump())
        assert as_dict.id == task.id
        with pytest.raises(enigma.ValidationError, match="enigma"):
            client.task_from_completion({"choices": []})


def test_a_streamed_task_can_be_stopped_from_its_first_chunk(sim: Simulator) -> None:
    key = sim.api_key()
    stream = oai(sim, api_key=key).chat.completions.create(
        model=MODEL, messages=ask("A long one #sim duration=250"), stream=True
    )
    with sim.client(api_key=key) as client:
        chunks = iter(stream)
        task = client.task_from_completion(next(chunks))
        task.session.stop()
        with pytest.raises(openai.APIError) as caught:
            list(chunks)
        assert caught.value.code == "task_stopped"
        assert task.poll().state == "stopped"
    assert sim.stat("sessions.open") == 0


def test_a_guardrail_error_leads_to_its_task(sim: Simulator) -> None:
    key = sim.api_key()
    with pytest.raises(openai.APIStatusError) as caught:
        oai(sim, api_key=key).chat.completions.create(model=MODEL, messages=ask('Book #sim guardrail="Which day?"'))
    with sim.client(api_key=key) as client:
        task = client.task_from_completion(caught.value)
        assert task.id == caught.value.body["enigma"]["taskId"]  # type: ignore[index]
