// The session ledger from Node (issue 19): a session opened in a child process that was
// SIGKILLed is listed by `client.unendedSessions()` and ended with `{ terminate: true }`. The
// ledger is a file in a temporary directory (ENIGMA_LEDGER); the rest of the suite runs on a
// loopback simulator, whose sessions the default ledger never records.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { Client, ValidationError } from 'enigma-click'
import { startSim, stat, key } from './helpers.mjs'

const here = path.dirname(fileURLToPath(import.meta.url))
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'enigma-node-ledger-'))
const ledger = path.join(dir, 'state', 'sessions.jsonl')
let sim
before(async () => {
  sim = await startSim()
})
after(() => {
  sim.shutdown()
  fs.rmSync(dir, { recursive: true, force: true })
})

const CHILD = `
import { Client } from 'enigma-click'
const client = new Client({ apiKey: process.env.KEY, baseUrl: process.env.URL, pollIntervalMs: 10 })
const session = await client.startSession()
await session.newTask('Long #sim duration=80000')
console.log('running ' + session.id)
setInterval(() => {}, 1000)
`

test('a session of a killed process is listed, then terminated', async () => {
  const apiKey = key()
  fs.mkdirSync(path.resolve(here, '../.tmp'), { recursive: true })
  const file = path.resolve(here, `../.tmp/ledger-child-${process.pid}.mjs`)
  fs.writeFileSync(file, CHILD)
  const child = spawn(process.execPath, [file], {
    cwd: path.resolve(here, '..'),
    env: { ...process.env, URL: sim.url, KEY: apiKey, ENIGMA_LEDGER: ledger },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const sessionId = await new Promise((resolve) => {
    let out = ''
    child.stdout.on('data', (d) => {
      out += d
      const m = out.match(/running (\w+)/)
      if (m) resolve(m[1])
    })
  })
  const exited = new Promise((resolve) => child.on('exit', resolve))
  child.kill('SIGKILL')
  await exited
  fs.rmSync(file, { force: true })
  assert.equal(stat(sim, 'sessions.open'), 1)

  process.env.ENIGMA_LEDGER = ledger
  try {
    const client = new Client({ apiKey, baseUrl: sim.url })
    assert.equal(client.ledgerPath, ledger)
    const listed = await client.unendedSessions()
    assert.deepEqual(
      listed.map((s) => [s.sessionId, s.state, s.processAlive, s.pid, s.keyLast4]),
      [[sessionId, 'open', false, child.pid, apiKey.slice(-4)]],
    )
    assert.ok(!listed[0].command.includes(apiKey))
    assert.equal(stat(sim, 'sessions.open'), 1, 'listing ends nothing')

    const ended = await client.unendedSessions({ terminate: true })
    assert.deepEqual(ended.map((s) => [s.sessionId, s.state]), [[sessionId, 'terminated']])
    assert.equal(stat(sim, 'sessions.open'), 0)
    assert.deepEqual(await client.unendedSessions(), [])
    await assert.rejects(client.unendedSessions({ terminate: 'yes' }), ValidationError)
  } finally {
    delete process.env.ENIGMA_LEDGER
  }
})
