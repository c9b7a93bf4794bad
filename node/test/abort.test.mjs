// AbortSignal on waiting calls; withSession and asyncDispose always terminate.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { AbortError } from 'enigma-click'
import { startSim, makeClient, stat, eventually, sleep } from './helpers.mjs'

let sim
before(async () => {
  sim = await startSim({ inlineWaitMs: 500 })
})
after(() => sim.shutdown())

const isAbort = (e) => e instanceof AbortError && e.name === 'AbortError'

test('aborting a wait rejects at once and drops the Rust work (no more polls)', async () => {
  const client = makeClient(sim, { liveEvents: false })
  const session = await client.startSession()
  const task = await session.newTask({ taskDetails: 'Endless #sim duration=50000' })
  const controller = new AbortController()
  const waiting = task.result({ signal: controller.signal })
  await sleep(100)
  const polls = stat(sim, 'requests.byEndpoint.GET /task')
  assert.ok(polls > 0, 'it was polling')
  const t0 = Date.now()
  controller.abort()
  await assert.rejects(waiting, isAbort)
  assert.ok(Date.now() - t0 < 200)
  const afterAbort = stat(sim, 'requests.byEndpoint.GET /task')
  await sleep(200)
  assert.ok(stat(sim, 'requests.byEndpoint.GET /task') <= afterAbort + 1, 'polling stopped')
  await session.terminate()
})

test('at the default inline wait, newTask returns while the task runs and aborting its wait rejects promptly', async () => {
  const slowSim = await startSim({ inlineWaitMs: 50000, timeScale: 1 })
  try {
    const client = makeClient(slowSim)
    const session = await client.startSession()
    const sent = Date.now()
    const task = await session.newTask({ taskDetails: 'Long #sim duration=100' })
    assert.ok(Date.now() - sent < 1500, `newTask returned after ${Date.now() - sent} ms, not at the inline answer`)
    const controller = new AbortController()
    const waiting = task.result({ signal: controller.signal })
    await sleep(100)
    const t0 = Date.now()
    controller.abort()
    await assert.rejects(waiting, isAbort)
    assert.ok(Date.now() - t0 < 200)
    await session.terminate()
    assert.equal(slowSim.stats().sessions.open, 0)
  } finally {
    await slowSim.shutdown()
  }
})

test('an already aborted signal rejects without a request', async () => {
  const client = makeClient(sim)
  const before = stat(sim, 'requests.total')
  await assert.rejects(client.startSession({ signal: AbortSignal.abort() }), isAbort)
  await assert.rejects(client.runTask({ taskDetails: 'x', signal: AbortSignal.abort() }), isAbort)
  await assert.rejects(client.health({ signal: AbortSignal.abort() }), isAbort)
  assert.equal(stat(sim, 'requests.total'), before)
})

test('AbortSignal.timeout works as a deadline', async () => {
  const client = makeClient(sim)
  await client.withSession({}, async (session) => {
    const task = await session.newTask({ taskDetails: 'Endless #sim duration=50000' })
    await assert.rejects(task.result({ signal: AbortSignal.timeout(50) }), isAbort)
  })
})

test('runTask aborted during its wait terminates its one-shot session', async () => {
  const client = makeClient(sim)
  const open = stat(sim, 'sessions.open')
  const controller = new AbortController()
  const running = client.runTask({ taskDetails: 'Endless #sim duration=50000', signal: controller.signal })
  await sleep(600)
  controller.abort()
  await assert.rejects(running, isAbort)
  await eventually(sim, 'sessions.open', open)
})

test('withSession terminates on success, on throw and on abort', async () => {
  const client = makeClient(sim)
  const total = stat(sim, 'sessions.total')
  assert.equal(await client.withSession({}, async () => 42), 42)
  await assert.rejects(
    client.withSession({}, async () => {
      throw new Error('user bug')
    }),
    /user bug/,
  )
  const controller = new AbortController()
  const pending = client.withSession({ signal: controller.signal }, async (session) => {
    const task = await session.newTask({ taskDetails: 'Endless #sim duration=50000' })
    return task.result({ signal: controller.signal })
  })
  await sleep(700)
  controller.abort()
  await assert.rejects(pending, isAbort)
  // Work that ignores the signal: withSession still rejects at once and terminates.
  const c2 = new AbortController()
  const ignoring = client.withSession({ signal: c2.signal }, () => new Promise(() => {}))
  await sleep(100)
  c2.abort()
  await assert.rejects(ignoring, isAbort)
  assert.equal(stat(sim, 'sessions.total'), total + 4)
  await eventually(sim, 'sessions.open', 0)
  assert.deepEqual(client.openSessionIds(), [])
})

test('Symbol.asyncDispose terminates on throw and on abort', async () => {
  const client = makeClient(sim)
  // What `await using session = await client.startSession()` compiles to.
  async function scoped(body) {
    const session = await client.startSession()
    try {
      return await body(session)
    } finally {
      await session[Symbol.asyncDispose]()
    }
  }
  await assert.rejects(scoped(async () => { throw new Error('boom') }), /boom/)
  const controller = new AbortController()
  const run = scoped(async (session) => {
    const task = await session.newTask({ taskDetails: 'Endless #sim duration=50000' })
    return task.result({ signal: controller.signal })
  })
  await sleep(700)
  controller.abort()
  await assert.rejects(run, isAbort)
  await eventually(sim, 'sessions.open', 0)
})

test('aborting a start mid-request rejects at once and leaves no session open', async () => {
  const client = makeClient(sim)
  const open = stat(sim, 'sessions.open')
  const total = stat(sim, 'sessions.total')
  for (const start of [
    (signal) => client.startSession({ signal }),
    (signal) => client.startTask({ taskDetails: 'Slow start', signal }),
    (signal) => client.runTask({ taskDetails: 'Slow start', signal }),
  ]) {
    await sim.injectFault({ endpoint: 'POST /start/start-session', action: 'delay', delayMs: 300, count: 1 })
    await sim.injectFault({ endpoint: 'POST /start/run-task', action: 'delay', delayMs: 300, count: 1 })
    const controller = new AbortController()
    const starting = start(controller.signal)
    await sleep(100)
    const t0 = Date.now()
    controller.abort()
    await assert.rejects(starting, isAbort)
    assert.ok(Date.now() - t0 < 100, 'rejected at once')
    await sim.clearFaults()
  }
  // The service made the sessions all the same; the core terminated each once its answer came.
  await eventually(sim, 'sessions.total', total + 3)
  await eventually(sim, 'sessions.open', open)
  assert.deepEqual(client.openSessionIds(), [])
})
