// Bad numbers, in every field that takes one: NaN, Infinity, -Infinity, a negative value and a
// BigInt reject with a ValidationError naming the field (Node's spelling: `timeoutMs`), before
// anything is sent. The fields come from the core (`numericFields()`, found from its option
// structs and client settings), so a new numeric field is covered here by itself. napi's own
// conversion once refused NaN without naming the field, and read `5n` as 5.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { Client, ValidationError } from 'enigma-click'
import { startSim, makeClient, stat, key } from './helpers.mjs'

const require = createRequire(import.meta.url)
const FIELDS = require('../build/enigma.node').numericFields()
const BAD = [NaN, Infinity, -Infinity, -1, 5n]
const SESSION_ID = 'a'.repeat(12)
const TASK_ID = 'b'.repeat(12)

let sim
before(async () => {
  sim = await startSim()
})
after(() => sim.shutdown())

/** Every public call that takes the fields of a kind, by kind. */
function calls(client) {
  const session = client.session(SESSION_ID) // a handle from ids alone: nothing is sent
  const task = client.task(SESSION_ID, TASK_ID)
  return {
    session: [
      ['startSession', (o) => client.startSession(o)],
      ['startTask', (o) => client.startTask({ taskDetails: 'x', ...o })],
      ['runTask', (o) => client.runTask({ taskDetails: 'x', ...o })],
    ],
    task: [['newTask', (o) => session.newTask({ taskDetails: 'x', ...o })]],
    wait: [
      ['runTask', (o) => client.runTask({ taskDetails: 'x', ...o })],
      ['result', (o) => task.result(o)],
    ],
    // The public Client passes every setting of the core to it.
    client: [['new Client', (o) => new Client({ apiKey: key(), baseUrl: sim.url, ...o })]],
  }
}

const refusal = (make) => Promise.resolve().then(make).then(() => null, (e) => e)

test('the core lists the numeric fields, in Node spelling', () => {
  assert.deepEqual(Object.keys(FIELDS).sort(), ['client', 'session', 'task', 'wait'])
  assert.deepEqual(FIELDS.wait, ['timeoutMs', 'maxCost'])
  assert.ok(FIELDS.task.includes('maxDuration'), JSON.stringify(FIELDS))
  for (const f of ['requestTimeoutMs', 'connectTimeoutMs', 'pollIntervalMs', 'retryBackoffMs', 'maxRetries']) {
    assert.ok(FIELDS.client.includes(f), `${f}: ${JSON.stringify(FIELDS.client)}`)
  }
})

test('every numeric field refuses NaN, ±Infinity, a negative value and a BigInt', async () => {
  const client = makeClient(sim)
  let tried = 0
  for (const [kind, kindCalls] of Object.entries(calls(client))) {
    for (const field of FIELDS[kind]) {
      for (const [name, make] of kindCalls) {
        for (const bad of BAD) {
          const err = await refusal(() => make({ [field]: bad }))
          const shown = `${name}({ ${field}: ${String(bad)} })`
          assert.ok(err instanceof ValidationError, `${shown}: ${err?.name} ${err?.message}`)
          assert.equal(err.field, field, `${shown}: ${err.message}`)
          tried += 1
        }
      }
    }
  }
  assert.ok(tried >= 75, `every kind has its fields (${tried})`)
  assert.equal(stat(sim, 'requests.total') + stat(sim, 'socketMessages.total'), 0, JSON.stringify(sim.stats().requests))
})

test('the reason says what is wrong', async () => {
  const task = makeClient(sim).task(SESSION_ID, TASK_ID)
  assert.match((await refusal(() => task.result({ maxCost: NaN }))).message, /maxCost.*finite number.*NaN/)
  assert.match((await refusal(() => task.result({ timeoutMs: 10n }))).message, /timeoutMs.*BigInt/)
})

test('coordinates refuse BigInt, NaN, ±Infinity, negative and out-of-window values', async () => {
  const session = makeClient(sim).session(SESSION_ID)
  const cases = [[5n, 200, 'x'], [5, 200n, 'y'], [NaN, 200, 'x'], [5, Infinity, 'y'], [-1, 200, 'x'], [5, -Infinity, 'y'], [1025, 200, 'x'], [5, 154, 'y'], [5, 756, 'y']]
  for (const [x, y, field] of cases) {
    for (const click of ['click', 'doubleClick']) {
      const err = await refusal(() => session[click](x, y))
      assert.ok(err instanceof ValidationError, `${click}(${x}, ${y}): ${err?.name} ${err?.message}`)
      assert.equal(err.field, field, `${click}(${x}, ${y}): ${err.message}`)
    }
  }
  assert.equal(stat(sim, 'requests.total') + stat(sim, 'socketMessages.total'), 0, JSON.stringify(sim.stats().requests))
})
