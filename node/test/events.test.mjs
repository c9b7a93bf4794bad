// Live events: `for await (const event of session.events())`, against the in-process simulator
// over a real Socket.IO connection.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { AbortError } from 'enigma-click'
import { startSim, makeClient, stat, eventually, sleep, STRICT_DOCS } from './helpers.mjs'

// Every event names its task; the documented events (STRICT_DOCS) name it on taskCompleted only,
// so there an event of no task is the session's one task's.
const ofTask = (e, task) => e.taskId === task.id || (STRICT_DOCS && (e.taskId ?? null) === null && e.type !== 'connected')
const named = (task) => (STRICT_DOCS ? null : task.id)

const here = path.dirname(fileURLToPath(import.meta.url))

let sim
before(async () => {
  sim = await startSim({ inlineWaitMs: 500 })
})
after(() => sim.shutdown())

/** Reads events until `until(event)` is true; returns them all (the last one included). */
async function collect(events, until) {
  const seen = []
  for await (const event of events) {
    seen.push(event)
    if (until(event)) break
  }
  return seen
}

/** Starts iterating and resolves once the stream reports `connected`, with the iterator. */
async function connected(session, options) {
  const events = session.events(options)
  const first = await events.next()
  assert.equal(first.value?.type, 'connected')
  return events
}

test('a default task: agentThought, action, responseUpdate per step, then taskCompleted', async () => {
  const client = makeClient(sim)
  await client.withSession({}, async (session) => {
    const events = await connected(session)
    const task = await session.newTask('Find shoes #sim duration=3 steps=3')
    const seen = await collect(events, (e) => e.type === 'taskCompleted')
    const mine = seen.filter((e) => ofTask(e, task))
    assert.deepEqual(
      mine.map((e) => e.type),
      [...Array(3)].flatMap(() => ['agentThought', 'action', 'responseUpdate']).concat('taskCompleted'),
    )
    const [thought, action, update] = mine
    assert.equal(typeof thought.content, 'string')
    assert.equal(thought.raw.type, 'agent')
    assert.equal(typeof action.name, 'string')
    assert.ok('target' in action)
    assert.match(update.message, /Step 1/)
    const done = mine.at(-1)
    assert.match(done.message, /Find shoes/)
    assert.ok(done.usage.cost > 0)
    assert.deepEqual(Object.keys(done.usage).sort(), ['completionTime', 'computeTime', 'cost', 'inputTokens', 'outputTokens', 'totalTokens'])
    // Plain data.
    assert.equal(Object.getPrototypeOf(done), Object.prototype)
    assert.deepEqual(JSON.parse(JSON.stringify(done)), done)
    assert.equal(events.closed, true, 'break closed the stream')
  })
})

test('a guardrail event, answered, then the task completes', async () => {
  const client = makeClient(sim)
  await client.withSession({}, async (session) => {
    const events = await connected(session)
    const task = await session.newTask('Buy shoes #sim guardrail="Which size?"')
    const guard = (await collect(events, (e) => e.type === 'guardrail')).at(-1)
    assert.equal(guard.taskId ?? null, named(task))
    assert.equal(guard.question, 'Which size?')
    await session.answerGuardrail('42')
    const seen = await collect(session.events(), (e) => e.type === 'taskCompleted')
    assert.equal(seen.at(-1).taskId, task.id)
  })
})

test('a task error event', async () => {
  const client = makeClient(sim)
  await client.withSession({}, async (session) => {
    const events = await connected(session)
    const task = await session.newTask('Open the page #sim fail=PAGE_CRASH')
    const error = (await collect(events, (e) => e.type === 'taskError')).at(-1)
    assert.equal(error.taskId ?? null, named(task))
    assert.equal(error.code, 'PAGE_CRASH')
    assert.equal(typeof error.error, 'string')
    assert.ok(error.error.length > 0)
  })
})

test('terminate(): sessionEnded with reason terminated, then the iteration ends by itself', async () => {
  const client = makeClient(sim)
  const session = await client.startSession()
  const events = await connected(session)
  await session.terminate()
  const rest = []
  for await (const event of events) rest.push(event)
  const ended = rest.find((e) => e.type === 'sessionEnded')
  assert.ok(ended, JSON.stringify(rest))
  assert.equal(ended.reason, 'terminated')
  assert.ok(['sessionEnded', 'disconnected'].includes(rest.at(-1).type))
  assert.equal(events.closed, true)
  assert.deepEqual(await events.next(), { value: undefined, done: true })
})

test('instance lost and back: instanceDisconnected (with its grace period), instanceReconnected', async () => {
  const client = makeClient(sim)
  await client.withSession({}, async (session) => {
    const events = await connected(session)
    await session.newTask('Flaky work #sim instance=flaky')
    const seen = await collect(events, (e) => e.type === 'taskCompleted')
    const lost = seen.find((e) => e.type === 'instanceDisconnected')
    assert.ok(lost, JSON.stringify(seen.map((e) => e.type)))
    assert.equal(typeof lost.gracePeriodMs, 'number')
    assert.ok(seen.findIndex((e) => e.type === 'instanceReconnected') > seen.indexOf(lost))
  })
})

test('two iterators on one session both receive every event', async () => {
  const client = makeClient(sim)
  await client.withSession({}, async (session) => {
    const [a, b] = await Promise.all([connected(session), connected(session)])
    const task = await session.newTask('Twice #sim duration=2 steps=2')
    const done = (e) => e.type === 'taskCompleted'
    const [seenA, seenB] = await Promise.all([collect(a, done), collect(b, done)])
    const types = (seen) => seen.filter((e) => ofTask(e, task)).map((e) => e.type)
    assert.equal(types(seenA).length, 7)
    assert.deepEqual(types(seenA), types(seenB))
  })
})

test('an AbortSignal stops the iteration with AbortError and closes the stream', async () => {
  const client = makeClient(sim)
  await client.withSession({}, async (session) => {
    const controller = new AbortController()
    const events = await connected(session, { signal: controller.signal })
    const pending = events.next() // nothing happens in this session: it waits
    await sleep(50)
    controller.abort()
    await assert.rejects(pending, (e) => e instanceof AbortError && e.name === 'AbortError')
    assert.equal(events.closed, true)
    await assert.rejects(session.events({ signal: AbortSignal.abort() }).next(), AbortError)
  })
})

test('a cancelled next() loses no event: the next call gets the event that came meanwhile', async () => {
  const client = makeClient(sim)
  await client.withSession({}, async (session) => {
    const events = await connected(session)
    // Nothing happens yet: the call is cancelled, the stream stays open.
    const controller = new AbortController()
    const pending = events.next({ signal: controller.signal })
    await sleep(20)
    controller.abort()
    await assert.rejects(pending, AbortError)
    assert.equal(events.closed, false)
    // While a task runs, cancel most reads after 1 ms: every event still arrives, in order.
    const task = await session.newTask('Find it #sim steps=2')
    const seen = []
    while (!seen.includes('taskCompleted')) {
      let next
      try {
        next = await events.next({ signal: AbortSignal.timeout(1) })
      } catch (err) {
        if (err instanceof AbortError) continue
        throw err
      }
      if (ofTask(next.value, task)) seen.push(next.value.type)
    }
    assert.deepEqual(seen, ['agentThought', 'action', 'responseUpdate', 'agentThought', 'action', 'responseUpdate', 'taskCompleted'])
    await events.return()
  })
})

test('a result delivered by the socket needs no poll', async () => {
  const quick = await startSim({ inlineWaitMs: 10 })
  try {
    // Events come more often than the poll interval: the socket is never silent long enough
    // for a REST check.
    const client = makeClient(quick, { pollIntervalMs: 2000 })
    await client.withSession({}, async (session) => {
      const events = await connected(session)
      const task = await session.newTask('Long enough #sim duration=30')
      const result = await task.result({ timeoutMs: 10000 })
      assert.equal(result.outcome, 'completed')
      await events.return()
    })
    assert.equal(quick.stats().requests.byEndpoint['GET /task'], 0)
  } finally {
    await quick.shutdown()
  }
})

test('break ends the iteration and a child process using events exits by itself within 2 s', async () => {
  const script = `
import { Client } from 'enigma-click'
import { startSimulator } from 'enigma-click/testing'
const sim = await startSimulator({ timeScale: 0.01, rateLimit: 0, inlineWaitMs: 50 })
const client = new Client({ apiKey: 'enig_events000000000000000000000', baseUrl: sim.url, pollIntervalMs: 10 })
await client.withSession({}, async (session) => {
  let n = 0
  for await (const event of session.events()) {
    if (event.type === 'connected') await session.newTask('Watch #sim duration=2')
    if (++n >= 3) break
  }
  // A second stream left mid-way (not even returned) must not hold the process either.
  const open = session.events()
  await open.next()
})
console.log('DONE')
`
  fs.mkdirSync(path.resolve(here, '../.tmp'), { recursive: true })
  const file = path.resolve(here, `../.tmp/events-child-${process.pid}.mjs`)
  fs.writeFileSync(file, script)
  const { code, lingerMs, stderr } = await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], { cwd: path.resolve(here, '..'), stdio: ['ignore', 'pipe', 'pipe'] })
    let doneAt = null
    let stderr = ''
    child.stdout.on('data', (d) => {
      if (String(d).includes('DONE')) doneAt = Date.now()
    })
    child.stderr.on('data', (d) => (stderr += d))
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000)
    child.on('exit', (code) => {
      clearTimeout(killer)
      fs.rmSync(file, { force: true })
      if (doneAt === null) return reject(new Error(`the child never finished (code ${code}): ${stderr}`))
      resolve({ code, lingerMs: Date.now() - doneAt, stderr })
    })
  })
  assert.equal(code, 0, stderr)
  assert.ok(lingerMs < 2000, `lingered ${lingerMs} ms`)
})

test('a slow reader gets a lagged event with the number it missed; read + missed is every event', async () => {
  const client = makeClient(sim)
  await client.withSession({}, async (session) => {
    const slow = await connected(session)
    const fast = await connected(session)
    const task = await session.newTask('Flood #sim steps=1000 duration=10')
    // The fast reader sees the last event of the flood: by then all of it has reached the
    // client, and the slow reader has read none of it.
    await collect(fast, (e) => e.type === 'taskCompleted' && e.taskId === task.id)
    let read = 0
    let missed = 0
    let gaps = 0
    for await (const event of slow) {
      if (event.type === 'lagged') {
        gaps += 1
        missed += event.missed
        continue
      }
      read += 1
      if (event.type === 'taskCompleted') break
    }
    assert.ok(gaps >= 1 && missed > 0, `gaps ${gaps}, missed ${missed}`)
    assert.equal(read + missed, 3 * 1000 + 1)
  })
})
