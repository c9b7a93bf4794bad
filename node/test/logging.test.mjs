// Logging a Node user switches on: `ENIGMA_LOG=debug` (read by the Rust core) prints the SDK's
// traffic to stderr, and `setLogger` hands the same records to a logger of the app's. Both are
// process-wide, so each case runs in a child `node`. The key never appears.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { key, startSim } from './helpers.mjs'
import { setLogger, ValidationError } from '../index.mjs'

const lib = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../lib/index.js')

// Runs a session with one task; with argv "logger", through setLogger into an array first.
const CHILD = `
const { Client, setLogger } = require(${JSON.stringify(lib)})
const lines = []
if (process.argv[1] === 'logger') setLogger({ debug: (line, record) => lines.push([line, record]) }, { level: 'debug' })
const client = new Client()
client.withSession({}, async (session) => {
  const task = await session.newTask({ taskDetails: 'logged #sim duration=1' })
  return task.result()
}).then(async () => {
  await new Promise((r) => setTimeout(r, 100)) // records are delivered through the event loop
  console.log(JSON.stringify({ count: lines.length, lines: lines.map(([l]) => l), levels: [...new Set(lines.map(([, r]) => r.level))] }))
})
`

function runChild(sim, mode, env) {
  const apiKey = key()
  const fullEnv = { ...process.env, ENIGMA_API_KEY: apiKey, ENIGMA_BASE_URL: sim.url, ENIGMA_LOG: '', ...env }
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', CHILD, mode], { env: fullEnv, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`))
      else resolve({ apiKey, stderr, report: JSON.parse(stdout.trim().split('\n').pop()) })
    })
  })
}

test('ENIGMA_LOG=debug prints requests, socket connects and classifier decisions to stderr, never the key', async () => {
  const sim = await startSim()
  try {
    const { apiKey, stderr } = await runChild(sim, 'plain', { ENIGMA_LOG: 'debug' })
    for (const expected of ['enigma::rest::http', 'request', 'socket.io: connected', 'classified the task answer', 'new_task{session=']) {
      assert.ok(stderr.includes(expected), `stderr lacks ${expected}:\n${stderr.slice(-2000)}`)
    }
    assert.ok(!stderr.includes(apiKey), 'the key never appears')
    const quiet = await runChild(sim, 'plain', {})
    assert.ok(!quiet.stderr.includes('enigma::rest::http'), 'nothing without ENIGMA_LOG')
  } finally {
    await sim.shutdown()
  }
})

test('setLogger hands the records to the app logger, by level, without the key', async () => {
  const sim = await startSim()
  try {
    const { apiKey, report } = await runChild(sim, 'logger', {})
    assert.ok(report.count > 0, 'the logger received records')
    assert.ok(report.lines.some((l) => l.includes('[enigma::rest::http] request')), report.lines.slice(0, 5).join('\n'))
    assert.ok(report.lines.some((l) => l.includes('classified the task answer')))
    assert.deepEqual(report.levels.filter((l) => l === 'trace'), [], 'nothing below the level asked for')
    assert.ok(report.lines.every((l) => !l.includes(apiKey)), 'the key never appears')
  } finally {
    await sim.shutdown()
  }
})

test('setLogger refuses an unknown level with a ValidationError', () => {
  assert.throws(() => setLogger(console, { level: 'verbose' }), ValidationError)
})
