// The service's 50 s inline wait, at its default (issue 17): a task's create is answered only
// when the task ends or 50 s passed, and the task's guards act meanwhile: the cost ceiling, the
// timeout, an AbortSignal, a signal to the process. The simulator runs at a tenth of real time
// with its default inline wait (50 simulated s = 5 s of wall time); clients keep the default
// poll interval (2 s).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { Client, CostLimitExceeded, WaitTimeout } from 'enigma-click'
import { startSimulator } from 'enigma-click/testing'
import { key, stat, eventually, sleep } from './helpers.mjs'

const INLINE_WAIT_WALL_MS = 5000
const here = path.dirname(fileURLToPath(import.meta.url))
let sim
before(async () => {
  sim = await startSimulator({ timeScale: 0.1, rateLimit: 0 }) // the default inline wait
})
after(() => sim.shutdown())

/** A client with every timing at its default. */
const client = () => new Client({ apiKey: key(), baseUrl: sim.url })

test('runTask maxCost stops the task during the inline wait, within one poll interval', async () => {
  const c = client()
  const t0 = Date.now()
  // 1 USD over 400 simulated s: 0.025 USD a wall second; the 0.05 ceiling is passed at 2 s.
  const err = await c.runTask({ taskDetails: 'Research #sim duration=400 cost=1.0', maxCost: 0.05 }).catch((e) => e)
  assert.ok(err instanceof CostLimitExceeded, String(err))
  assert.ok(Date.now() - t0 < INLINE_WAIT_WALL_MS, `stopped after ${Date.now() - t0} ms`)
  assert.ok(err.usage.cost > 0.05 && err.usage.cost <= 0.11, `spent ${err.usage.cost}`)
  await c.terminateOpenSessions()
})

test('runTask timeoutMs fires on time during the inline wait', async () => {
  const c = client()
  const t0 = Date.now()
  const err = await c.runTask({ taskDetails: 'A 30 s task #sim duration=30', timeoutMs: 500 }).catch((e) => e)
  const took = Date.now() - t0
  assert.ok(err instanceof WaitTimeout, String(err))
  assert.ok(took >= 490 && took < 1500, `timed out after ${took} ms`)
  await c.terminateOpenSessions()
})

test('runTask with AbortSignal.timeout terminates its session at once', async () => {
  const c = client()
  const before = stat(sim, 'requests.byMessage.state:terminate')
  const err = await c.runTask({ taskDetails: 'Long #sim duration=300', signal: AbortSignal.timeout(1000) }).catch((e) => e)
  assert.equal(err.name, 'AbortError')
  const aborted = Date.now()
  await eventually(sim, 'requests.byMessage.state:terminate', before + 1)
  assert.ok(Date.now() - aborted < 1000, 'the terminate went out at once, not when the inline wait ended')
})

test('a task that ends over the ceiling is a CostLimitExceeded, never a silent success', async () => {
  const err = await client()
    .runTask({ taskDetails: 'Quick but dear #sim duration=0.1 cost=0.5', maxCost: 0.1 })
    .catch((e) => e)
  // It ends (or is stopped) past the ceiling within its first look: either way a rejection.
  assert.ok(err instanceof CostLimitExceeded, String(err))
  assert.ok(err.usage.cost > 0.1, `spent ${err.usage.cost}`)
})

test('onStatus reports the spend as it grows', async () => {
  const c = client()
  await c.withSession({}, async (session) => {
    const task = await session.newTask('Twelve seconds #sim duration=120 cost=1.0')
    const costs = []
    const result = await task.result({ onStatus: (s) => costs.push(s.usage.cost ?? 0) })
    assert.equal(result.outcome, 'completed')
    const running = costs.filter((x) => x > 0 && x < 1)
    assert.ok(running.length >= 3, JSON.stringify(costs))
    assert.deepEqual(running, [...running].sort((a, b) => a - b))
  })
})

for (const signal of ['SIGINT', 'SIGTERM']) {
  test(`${signal} during runTask's inline wait terminates its session at once`, async () => {
    fs.mkdirSync(path.resolve(here, '../.tmp'), { recursive: true })
    const file = path.resolve(here, `../.tmp/inline-wait-${process.pid}-${signal}.mjs`)
    fs.writeFileSync(
      file,
      `import { Client } from 'enigma-click'
const client = new Client({ apiKey: process.env.KEY, baseUrl: process.env.URL })
console.log('running')
await client.runTask('A long one #sim duration=300').catch((err) => console.log('rejected', err.name))
`,
    )
    const open = stat(sim, 'sessions.open')
    const child = spawn(process.execPath, [file], {
      cwd: path.resolve(here, '..'),
      env: { ...process.env, URL: sim.url, KEY: key() },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const exited = new Promise((resolve) => child.on('exit', (code, sig) => resolve({ code, sig })))
    try {
      await eventually(sim, 'sessions.open', open + 1)
      await sleep(500) // well inside the inline wait
      const sent = Date.now()
      child.kill(signal)
      await eventually(sim, 'sessions.open', open)
      assert.ok(Date.now() - sent < 2000, `ended after ${Date.now() - sent} ms`)
      assert.deepEqual(await exited, { code: null, sig: signal })
    } finally {
      child.kill('SIGKILL')
      fs.rmSync(file, { force: true })
    }
  })
}
