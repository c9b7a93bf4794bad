// Nothing left billing: one-shot guardrails, SIGINT/SIGTERM during withSession or runTask (real
// signals sent to a child `node`), the user's own listeners, the opt-out, and cleanups that
// finish before a script exits. (Node resets every signal to its default at startup, so an
// ignored SIGINT inherited from a background shell does not reach these children.)
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { startSim, makeClient, stat, eventually, key } from './helpers.mjs'

const here = path.dirname(fileURLToPath(import.meta.url))
let sim
before(async () => {
  sim = await startSim({ timeScale: 0.1, inlineWaitMs: 100 })
})
after(() => sim.shutdown())

test('runTask ending in a guardrail terminates its session before resolving', async () => {
  const client = makeClient(sim)
  const open = stat(sim, 'sessions.open')
  const result = await client.runTask('Buy a book #sim guardrail="Which card?"')
  assert.equal(result.outcome, 'guardrail')
  assert.equal(result.question, 'Which card?')
  assert.equal(stat(sim, 'sessions.open'), open)
  assert.deepEqual(client.openSessionIds(), [])
})

const WITH_SESSION = `
const client = new Client({ apiKey: process.env.KEY, baseUrl: process.env.URL, pollIntervalMs: 10 })
await client.withSession({}, async (session) => {
  const task = await session.newTask('Long #sim duration=250')
  console.log('waiting')
  await task.result()
}).catch((err) => console.log('rejected', err.code))
`

const RUN_TASK = `
const client = new Client({ apiKey: process.env.KEY, baseUrl: process.env.URL, pollIntervalMs: 10 })
console.log('waiting')
await client.runTask('Long #sim duration=250').catch((err) => console.log('rejected', err.code))
`

const USER_LISTENER = `
process.on('SIGTERM', () => console.log('user listener'))
${WITH_SESSION}
console.log('exited normally')
`

const OPTED_OUT = WITH_SESSION.replace('pollIntervalMs: 10', 'pollIntervalMs: 10, handleSignals: false')

const CANCELLED_START = `
const client = new Client({ apiKey: process.env.KEY, baseUrl: process.env.URL })
await client.startSession({ signal: AbortSignal.timeout(100) }).catch((err) => console.log('rejected', err.name))
console.log('waiting')
`

let n = 0
function runChild(body, env = {}) {
  fs.mkdirSync(path.resolve(here, '../.tmp'), { recursive: true })
  n += 1
  const file = path.resolve(here, `../.tmp/signal-child-${process.pid}-${n}.mjs`)
  fs.writeFileSync(file, `import { Client } from 'enigma-click'\n${body}`)
  const child = spawn(process.execPath, [file], {
    cwd: path.resolve(here, '..'),
    env: { ...process.env, URL: sim.url, KEY: key(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  const waiting = new Promise((resolve) => {
    child.stdout.on('data', (d) => {
      stdout += d
      if (stdout.includes('waiting')) resolve()
    })
  })
  child.stderr.on('data', (d) => (stderr += d))
  const killer = setTimeout(() => child.kill('SIGKILL'), 30_000)
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      clearTimeout(killer)
      fs.rmSync(file, { force: true })
      resolve({ code, signal, stdout, stderr })
    })
  })
  return { child, waiting, exited }
}

async function signalled(body, signal, env) {
  const started = stat(sim, 'tasks.started')
  const open = stat(sim, 'sessions.open')
  const { child, waiting, exited } = runChild(body, env)
  await waiting
  await eventually(sim, 'tasks.started', started + 1)
  assert.equal(stat(sim, 'sessions.open'), open + 1)
  child.kill(signal)
  return { ...(await exited), open }
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  test(`${signal} during withSession terminates the session, then the default exit happens`, async () => {
    const { code, signal: got, stderr, open } = await signalled(WITH_SESSION, signal)
    assert.deepEqual([code, got], [null, signal], stderr)
    assert.equal(stat(sim, 'sessions.open'), open)
  })

  test(`${signal} during runTask terminates its one-shot session`, async () => {
    const { code, signal: got, stderr, open } = await signalled(RUN_TASK, signal)
    assert.deepEqual([code, got], [null, signal], stderr)
    assert.equal(stat(sim, 'sessions.open'), open)
  })
}

test("the user's own listener is kept, and the exit is left to it", async () => {
  const { code, signal, stdout, stderr, open } = await signalled(USER_LISTENER, 'SIGTERM')
  assert.deepEqual([code, signal], [0, null], stderr)
  assert.match(stdout, /user listener/)
  assert.match(stdout, /exited normally/)
  assert.equal(stat(sim, 'sessions.open'), open)
})

for (const [name, body, env] of [
  ['handleSignals: false', OPTED_OUT, {}],
  ['ENIGMA_HANDLE_SIGNALS=0', WITH_SESSION, { ENIGMA_HANDLE_SIGNALS: '0' }],
]) {
  test(`opt-out (${name}): the signal ends the process at once, the session stays`, async () => {
    const { code, signal, open } = await signalled(body, 'SIGTERM', env)
    assert.deepEqual([code, signal], [null, 'SIGTERM'])
    assert.equal(stat(sim, 'sessions.open'), open + 1)
  })
}

test('a script whose start was cancelled waits for the terminate before exiting', async () => {
  await sim.injectFault({ endpoint: 'POST /start/start-session', action: 'delay', delayMs: 1500 })
  const total = stat(sim, 'sessions.total')
  const open = stat(sim, 'sessions.open')
  const { exited } = runChild(CANCELLED_START)
  const { code, stdout, stderr } = await exited
  assert.equal(code, 0, stderr)
  assert.match(stdout, /rejected AbortError/)
  // Straight after the exit: the child waited for the session it made to be terminated.
  assert.equal(stat(sim, 'sessions.total'), total + 1)
  assert.equal(stat(sim, 'sessions.open'), open)
})

test('the listeners are installed only while something is open', async () => {
  const before = process.listenerCount('SIGTERM')
  const open = stat(sim, 'sessions.open')
  const client = makeClient(sim)
  const session = await client.startSession()
  assert.equal(process.listenerCount('SIGTERM'), before + 1)
  await session.terminate()
  assert.equal(process.listenerCount('SIGTERM'), before)
  assert.equal(stat(sim, 'sessions.open'), open)
})
