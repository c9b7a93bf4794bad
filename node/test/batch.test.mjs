// client.runMany: the core's batch runner from Node, against the in-process simulator.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ValidationError, AbortError } from 'enigma-click'
import { startSim, makeClient, stat, sleep } from './helpers.mjs'

let sim
before(async () => {
  sim = await startSim()
})
after(() => sim.shutdown())

async function all(run) {
  const items = []
  for await (const item of run) items.push(item)
  return items
}

test('runMany yields one item per task, tagged with index and id, and reports progress', async () => {
  const client = makeClient(sim)
  const seen = []
  const tasks = ['a', 'b #sim duration=2', { taskDetails: 'c', id: 'third', maxCost: 1 }, 'd']
  const run = client.runMany(tasks, { concurrency: 2, onProgress: (p) => seen.push(p) })
  const items = await all(run)
  assert.deepEqual(items.map((i) => i.index).sort(), [0, 1, 2, 3])
  assert.ok(items.every((i) => i.outcome === 'completed'))
  const third = items.find((i) => i.index === 2)
  assert.equal(third.id, 'third')
  assert.ok(third.usage.totalTokens > 0, JSON.stringify(third.usage))
  assert.equal(seen.length, 4)
  assert.equal(seen.at(-1).done, 4)
  assert.equal(run.summary.outcomes.completed, 4)
})

test('onProgress says when the batch waits for the rate limit', async () => {
  const client = makeClient(sim)
  // The key's limit answers the create with a 429 and a Retry-After of 1 s.
  await sim.injectFault({ endpoint: 'POST /start/start-session', status: 429, code: 'RATE_LIMIT_EXCEEDED', retryAfter: 1 })
  const seen = []
  const run = client.runMany(['a'], { onProgress: (p, item) => seen.push({ p, item }) })
  assert.equal((await all(run)).length, 1)
  const waits = seen.filter((s) => s.item === null)
  assert.equal(waits.length, 1, JSON.stringify(seen))
  assert.equal(waits[0].p.rateLimitWait.message, 'waiting for the rate limit: next create in 1 s')
  assert.equal(waits[0].p.rateLimitWait.what, 'creates')
  assert.equal(run.progress().rateLimitWaits, 1)
})

test('a journal makes a rerun skip what finished', async () => {
  const client = makeClient(sim)
  const journal = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'enigma-node-batch-')), 'run.jsonl')
  assert.equal((await all(client.runMany(['x', 'y'], { journal }))).length, 2)
  const again = client.runMany(['x', 'y'], { journal })
  assert.equal((await all(again)).length, 0)
  assert.equal(again.summary.previouslyDone, 2)
})

test('onGuardrail answers questions; without it the task ends with its question', async () => {
  const client = makeClient(sim)
  const task = 'buy shoes #sim guardrail="Which size?"'
  const [plain] = await all(client.runMany([task]))
  assert.equal(plain.outcome, 'guardrail')
  assert.equal(plain.question, 'Which size?')
  const [answered] = await all(client.runMany([task], { onGuardrail: async (q) => (q.question === 'Which size?' ? '42' : null) }))
  assert.equal(answered.outcome, 'completed')
})

test('bad tasks reject with a ValidationError naming them, before anything is sent', async () => {
  const client = makeClient(sim)
  const before = stat(sim, 'requests.total')
  await assert.rejects(all(client.runMany(['ok', { taskDetails: 'x', colour: 'red' }])), (err) => {
    assert.ok(err instanceof ValidationError)
    assert.match(err.message, /tasks\[1\].*unknown option 'colour'/)
    return true
  })
  assert.throws(() => client.runMany('not a list'), ValidationError)
  assert.equal(stat(sim, 'requests.total'), before)
})

test('task and batch options are read by the core in Node\'s spelling, their errors naming the field so', async () => {
  const client = makeClient(sim)
  const before = stat(sim, 'requests.total')
  await assert.rejects(all(client.runMany([{ taskDetails: 'x', maxDuration: 0 }])), ValidationError)
  await assert.rejects(all(client.runMany(['ok', { taskDetails: 'x', maxDuration: 0 }])), /tasks\[1\].*maxDuration/)
  await assert.rejects(all(client.runMany([{ taskDetails: 'x', max_duration: 5 }])), /unknown option 'max_duration'/)
  await assert.rejects(all(client.runMany(['ok'], { tasksPerSession: 0 })), /tasksPerSession/)
  assert.equal(stat(sim, 'requests.total'), before)
  const [item] = await all(client.runMany([{ task: 'y', id: 7, timeoutMs: 30_000, maxCost: 5 }]))
  assert.equal(item.id, '7')
  assert.equal(item.outcome, 'completed')
})

test('an aborted signal cancels the batch, terminates its sessions and rejects with AbortError', async () => {
  const client = makeClient(sim)
  const controller = new AbortController()
  const run = client.runMany(
    Array.from({ length: 8 }, (_, i) => `long ${i} #sim duration=1000`),
    { signal: controller.signal },
  )
  const pending = all(run)
  while (stat(sim, 'tasks.running') < 5) await sleep(10)
  controller.abort()
  await assert.rejects(pending, AbortError)
  assert.equal(stat(sim, 'sessions.open'), 0)
  assert.equal(run.summary.wasCancelled, true)
})
