// What crosses from the core as data (statuses, health, ...) arrives as plain JS data: the
// binding hands it over as JSON text parsed by V8 (crates/enigma-node/src/convert.rs, for speed),
// and this pins that the shapes and types are what napi's property-by-property conversion gave.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startSim, makeClient } from './helpers.mjs'

let sim
before(async () => {
  sim = await startSim()
})
after(() => sim.shutdown())

const VIEW_KEYS = ['completedAt', 'done', 'error', 'errorCode', 'message', 'paused', 'question', 'raw', 'state', 'usage']

function assertPlain(value, where) {
  assert.equal(Object.getPrototypeOf(value), Object.prototype, `${where}: a plain object`)
}

test('a polled status is the flat view as plain data, the same through poll, onStatus and result', async () => {
  const client = makeClient(sim)
  await client.withSession({}, async (session) => {
    const task = await session.newTask({ taskDetails: 'Counting #sim duration=60' })
    const running = await task.poll()
    assert.deepEqual(Object.keys(running).sort(), VIEW_KEYS)
    assertPlain(running, 'poll')
    assertPlain(running.raw, 'raw')
    assert.equal(running.state, 'running')
    assert.equal(running.paused, false)
    assert.equal(running.done, false)
    assert.equal(running.message, null)
    assert.equal(typeof running.raw.pending, 'boolean')
    const seen = []
    const result = await task.result({ timeoutMs: 10_000, onStatus: (s) => seen.push(s) })
    assert.equal(result.outcome, 'completed')
    for (const status of seen) {
      assert.deepEqual(Object.keys(status).sort(), VIEW_KEYS)
      assertPlain(status, 'onStatus')
    }
    const done = await task.poll()
    assert.equal(done.state, 'completed')
    assert.equal(done.done, true)
    assert.equal(typeof done.message, 'string')
    assertPlain(done.usage, 'usage')
    // Counts stay numbers (not BigInt), with the raw body's spelling kept as the service sent it.
    assert.equal(typeof done.usage.inputTokens, 'number')
    assert.ok(Number.isInteger(done.usage.inputTokens))
    assert.equal(typeof done.usage.cost, 'number')
    assert.ok('data' in done.raw && 'prompt_tokens' in done.raw.data, JSON.stringify(done.raw))
  })
})

test('health and activeSockets arrive as plain objects', async () => {
  const client = makeClient(sim)
  const health = await client.health()
  assertPlain(health, 'health')
  assertPlain(await client.activeSockets(), 'activeSockets')
})
