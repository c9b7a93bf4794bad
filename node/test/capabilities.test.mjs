// Every capability of the core, through the Node API, against the in-process simulator.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { inspect } from 'node:util'
import { Client, Session, Task } from 'enigma-click'
import { startSim, makeClient, sent, eventually, key, sleep } from './helpers.mjs'

let sim
before(async () => {
  sim = await startSim({ inlineWaitMs: 500 })
})
after(() => sim.shutdown())

test('health and active sockets', async () => {
  const client = makeClient(sim)
  const health = await client.health()
  assert.equal(health.status, 'healthy')
  assert.equal(health.instancesAvailable, true)
  assert.equal(typeof health.raw, 'object')
  const sockets = await client.activeSockets()
  assert.ok(Array.isArray(sockets.sockets))
  assert.equal(sockets.count, sockets.sockets.length)
})

test('a session: info, live view, initial task, a new task, pause/resume, result as plain data', async () => {
  const client = makeClient(sim)
  const session = await client.startSession({ taskDetails: 'Go to amazon.com', startingUrl: 'https://amazon.com' })
  assert.ok(session instanceof Session)
  assert.match(session.id, /^[a-z0-9]{12}$/)
  assert.equal(session.liveViewUrl, `${sim.url}/live/${session.id}`)
  assert.equal(session.info.initialPrompt, 'Go to amazon.com')
  assert.deepEqual(session.info.dimensions, { width: 1024, height: 600 })
  assert.ok(session.initialTask instanceof Task)
  assert.equal(session.initialTask.sessionId, session.id)
  const task = await session.newTask({ taskDetails: "Search for 'mechanical keyboard' #sim duration=5", maxDuration: 60000 })
  assert.equal(task.sessionId, session.id)
  await session.pause()
  await session.resume()
  const result = await task.result({ timeoutMs: 10000 })
  assert.equal(result.outcome, 'completed')
  assert.match(result.message, /mechanical keyboard/)
  assert.equal(result.question, null)
  assert.equal(result.taskId, task.id)
  assert.equal(result.sessionId, session.id)
  assert.ok(result.usage.cost > 0)
  assert.deepEqual(Object.keys(result.usage).sort(), ['completionTime', 'computeTime', 'cost', 'inputTokens', 'outputTokens', 'totalTokens'])
  // Plain data: survives JSON and prints fully.
  assert.deepEqual(JSON.parse(JSON.stringify(result)), result)
  assert.equal(Object.getPrototypeOf(result), Object.prototype)
  assert.match(inspect(result, { depth: 4 }), /totalTokens/)
  const initial = await session.initialTask.result({ timeoutMs: 10000 })
  assert.equal(initial.outcome, 'completed')
  await session.terminate()
  assert.equal(session.terminated, true)
  await session.terminate() // twice is fine
  await eventually(sim, 'sessions.open', 0)
})

test('poll, stop, and a new task in the same session; newTask takes a string', async () => {
  const client = makeClient(sim)
  await client.withSession({}, async (session) => {
    const long = await session.newTask({ taskDetails: 'A long search #sim duration=60' })
    const status = await long.poll()
    assert.equal(status.state, 'running')
    assert.equal(status.paused, false)
    await session.stop()
    assert.equal((await long.result({ timeoutMs: 10000 })).outcome, 'stopped')
    assert.equal((await long.poll()).state, 'stopped')
    const next = await session.newTask('Navigate to homepage instead')
    assert.match((await next.result({ timeoutMs: 10000 })).message, /homepage/)
  })
})

test('manual control: takeOver, click, doubleClick, typeText, pressKey, release', async () => {
  const client = makeClient(sim)
  const kinds = ['CLICK', 'DOUBLE_CLICK', 'TYPE', 'KEY_PRESS', 'takeOverControl', 'releaseControl']
  const before = Object.fromEntries(kinds.map((k) => [k, sent(sim, `interaction:${k}`)]))
  await client.withSession({}, async (session) => {
    const task = await session.newTask({ taskDetails: 'Fill in the form #sim duration=20' })
    await session.takeOver()
    await session.click(512, 400)
    await session.doubleClick(100, 155)
    await session.typeText('hello world', { humanLike: true })
    await session.pressKey('Enter')
    await sleep(30)
    assert.equal((await task.poll()).paused, true)
    await session.release()
    assert.equal((await task.result({ timeoutMs: 10000 })).outcome, 'completed')
  })
  for (let i = 0; i < 100 && kinds.some((k) => sent(sim, `interaction:${k}`) !== before[k] + 1); i++) await sleep(20)
  for (const kind of kinds) assert.equal(sent(sim, `interaction:${kind}`), before[kind] + 1, kind)
})

test('a guardrail is answered and the same task completes', async () => {
  const client = makeClient(sim)
  await client.withSession({}, async (session) => {
    const task = await session.newTask({ taskDetails: 'Buy the book #sim guardrail="I need login credentials"' })
    const asked = await task.result({ timeoutMs: 10000 })
    assert.equal(asked.outcome, 'guardrail')
    assert.equal(asked.question, 'I need login credentials')
    await session.answerGuardrail('Use the guest checkout', { resume: true })
    assert.equal((await task.result({ timeoutMs: 10000 })).outcome, 'completed')
  })
})

test('runTask and startTask: one-shot sessions end by themselves', async () => {
  const client = makeClient(sim)
  const result = await client.runTask({ taskDetails: 'Find the opening hours of the Louvre', timeoutMs: 10000 })
  assert.equal(result.outcome, 'completed')
  assert.match(result.message, /Louvre/)
  const task = await client.startTask({ taskDetails: 'Find a museum #sim duration=2' })
  assert.equal((await task.result()).outcome, 'completed')
  assert.equal(typeof (await client.runTask('Just a string task')).message, 'string')
})

test('re-attach by ids: client.session(), client.task(), session.task(), task.session()', async () => {
  const client = makeClient(sim)
  const session = await client.startSession()
  const task = await session.newTask({ taskDetails: 'Compare prices #sim duration=5' })
  const again = client.session(session.id)
  assert.equal(again.info, null)
  assert.equal(again.id, session.id)
  const sameTask = client.task(session.id, task.id)
  assert.equal((await sameTask.result({ timeoutMs: 10000 })).outcome, 'completed')
  assert.equal(session.task(task.id).id, task.id)
  assert.equal(task.session().id, session.id)
  await again.terminate()
  // A fresh handle asks over REST, which answers for sure (the first handle's socket may not
  // have heard of the end yet).
  await assert.rejects(client.session(session.id).pause(), { name: 'SessionNotFoundError' })
})

test('result({ onStatus }) reports every polled status; a throwing callback is harmless', async () => {
  const client = makeClient(sim)
  await client.withSession({}, async (session) => {
    const task = await session.newTask({ taskDetails: 'Slow crawl #sim duration=100' })
    const seen = []
    const result = await task.result({ timeoutMs: 10000, onStatus: (s) => seen.push(s.state) })
    assert.equal(result.outcome, 'completed')
    await sleep(20)
    // Statuses come from polls (the socket may deliver the outcome itself): at least one.
    assert.ok(seen.length >= 1, `statuses: ${seen}`)
    const t2 = await session.newTask({ taskDetails: 'Another crawl #sim duration=10' })
    const r2 = await t2.result({ onStatus: () => { throw new Error('user bug') } })
    assert.equal(r2.outcome, 'completed')
  })
})

test('open sessions are tracked and can all be terminated', async () => {
  const client = makeClient(sim)
  const a = await client.startSession()
  const b = await client.startSession()
  assert.deepEqual(client.openSessionIds().sort(), [a.id, b.id].sort())
  await a.terminate()
  assert.deepEqual(client.openSessionIds(), [b.id])
  assert.deepEqual(await client.terminateOpenSessions(), [])
  assert.deepEqual(client.openSessionIds(), [])
})

test('the key never shows in util.inspect or JSON', async () => {
  const secret = key()
  const client = new Client({ apiKey: secret, baseUrl: sim.url })
  const session = await client.startSession()
  for (const text of [inspect(client, { depth: 10, showHidden: true }), JSON.stringify(client), inspect(session, { depth: 10, showHidden: true }), JSON.stringify(session), inspect(client.config), String(client)]) {
    assert.ok(!text.includes(secret.slice(5)), text)
  }
  assert.equal(client.baseUrl, sim.url)
  await session.terminate()
})

test('ENIGMA_API_KEY and ENIGMA_BASE_URL are the defaults', async () => {
  const saved = { ...process.env }
  process.env.ENIGMA_API_KEY = key()
  process.env.ENIGMA_BASE_URL = sim.url
  try {
    const client = new Client()
    assert.equal(client.baseUrl, sim.url)
    const result = await client.runTask({ taskDetails: 'From the environment' })
    assert.equal(result.outcome, 'completed')
  } finally {
    process.env = saved
  }
})

test('close() makes later calls reject', async () => {
  const client = makeClient(sim)
  client.close()
  await assert.rejects(client.health(), { name: 'ValidationError' })
})
