// The official `openai` npm package against the simulator's OpenAI-compatible endpoint
// (`baseURL: sim.url + '/v1'`): what a user's OpenAI-SDK code sees, offline; and
// `client.taskFromCompletion`, from its answers to the SDK's task handles.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import OpenAI from 'openai'
import { ValidationError } from 'enigma-click'
import { key, makeClient, startSim, stat } from './helpers.mjs'

const MODEL = 'enigma-browser-1'
let sim
before(async () => {
  sim = await startSim()
})
after(async () => {
  await sim.shutdown()
})

// The SDK's own retries would hide the status the tests look at.
const oai = (apiKey = key(), options = {}) =>
  new OpenAI({ baseURL: sim.url + '/v1', apiKey, maxRetries: 0, ...options })
const ask = (content) => [{ role: 'user', content }]

test('a completion names its session and task', async () => {
  const apiKey = key()
  const completion = await oai(apiKey).chat.completions.create({ model: MODEL, messages: ask('Find a kettle #sim cost=0.3') })
  assert.equal(completion.choices[0].message.role, 'assistant')
  assert.match(completion.choices[0].message.content, /Find a kettle/)
  assert.equal(completion.choices[0].finish_reason, 'stop')
  assert.ok(completion.usage.total_tokens > 0)
  assert.equal(completion.enigma.cost, 0.3)
  const client = makeClient(sim, { apiKey })
  const task = client.taskFromCompletion(completion)
  assert.equal(task.sessionId, completion.enigma.sessionId)
  const status = await task.poll()
  assert.equal(status.state, 'completed')
  assert.equal(status.message, completion.choices[0].message.content)
  await client.close()
})

test('a streamed completion reads to the end', async () => {
  const text = 'Rain is expected on Tuesday afternoon in the north'
  const stream = await oai().chat.completions.create({ model: MODEL, messages: ask(`Weather #sim message="${text}"`), stream: true })
  const chunks = []
  for await (const chunk of stream) chunks.push(chunk)
  assert.equal(chunks[0].choices[0].delta.role, 'assistant')
  assert.equal(chunks.map((c) => c.choices[0].delta.content ?? '').join(''), text)
  assert.equal(chunks.at(-1).choices[0].finish_reason, 'stop')
  assert.equal(chunks.at(-1).enigma.taskId, chunks[0].enigma.taskId)
})

test('a streamed task can be stopped from its first chunk', async () => {
  const apiKey = key()
  const stream = await oai(apiKey).chat.completions.create({ model: MODEL, messages: ask('A long one #sim duration=250'), stream: true })
  const client = makeClient(sim, { apiKey })
  const chunks = stream[Symbol.asyncIterator]()
  const first = await chunks.next()
  const task = client.taskFromCompletion(first.value)
  await task.session().stop()
  await assert.rejects(async () => {
    for (let next = await chunks.next(); !next.done; next = await chunks.next());
  }, (e) => e instanceof OpenAI.APIError && e.code === 'task_stopped')
  assert.equal((await task.poll()).state, 'stopped')
  await client.close()
})

test('models.list() lists the one model', async () => {
  const ids = []
  for await (const model of oai().models.list()) ids.push(model.id)
  assert.deepEqual(ids, [MODEL])
})

test('a guardrail is an APIError with guardrail_triggered, and leads to its task', async () => {
  const apiKey = key()
  const error = await oai(apiKey)
    .chat.completions.create({ model: MODEL, messages: ask('Book a table #sim guardrail="Which day?"') })
    .then(() => assert.fail('the guardrail should fail the request'), (e) => e)
  assert.ok(error instanceof OpenAI.APIError)
  assert.equal(error.status, 400)
  assert.equal(error.code, 'guardrail_triggered')
  assert.equal(error.type, 'guardrail_error')
  assert.match(error.message, /Guardrail triggered: Which day\?/)
  const client = makeClient(sim, { apiKey })
  assert.equal(client.taskFromCompletion(error).id, error.error.enigma.taskId)
  assert.throws(() => client.taskFromCompletion({ choices: [] }), ValidationError)
  await client.close()
})

test('a wrong key is 401', async () => {
  await assert.rejects(
    oai('sk-not-an-enigma-key').chat.completions.create({ model: MODEL, messages: ask('x') }),
    (e) => e instanceof OpenAI.AuthenticationError && e.status === 401 && e.code === 'invalid_api_key',
  )
})

test('the rate limit is 429', async () => {
  const limited = await startSim({ rateLimit: 1 })
  try {
    const client = new OpenAI({ baseURL: limited.url + '/v1', apiKey: key(), maxRetries: 0 })
    await client.chat.completions.create({ model: MODEL, messages: ask('first') })
    await assert.rejects(
      client.chat.completions.create({ model: MODEL, messages: ask('second') }),
      (e) => e instanceof OpenAI.RateLimitError && e.status === 429 && e.code === 'rate_limit_exceeded',
    )
    assert.equal(stat(limited, 'sessions.total'), 1)
  } finally {
    await limited.shutdown()
  }
})
