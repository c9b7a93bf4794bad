// `ENIGMA_REQUEST_TIMEOUT`, `ENIGMA_MAX_RETRIES` and `ENIGMA_POLL_INTERVAL` reach a Node client
// made without those options: the core's env-or-default applies, nothing in JS or the binding
// fills in its own. Each case runs in a child `node` whose environment sets the variable.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { key, startSim, stat } from './helpers.mjs'

const lib = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../lib/index.js')

// Prints what the call did ("ok" or the error's code) and the client's configuration.
const CHILD = `
const { Client } = require(${JSON.stringify(lib)})
const [action] = process.argv.slice(1)
const client = new Client()
const call = action === 'health' ? () => client.health() : () => client.runTask({ taskDetails: 'Slow #sim duration=150' })
call().then(() => 'ok', (err) => err.code ?? String(err)).then((outcome) => {
  console.log(JSON.stringify({ outcome, config: client.config }))
})
`

function runChild(sim, action, env) {
  const fullEnv = { ...process.env, ENIGMA_API_KEY: key(), ENIGMA_BASE_URL: sim.url, ...env }
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', CHILD, action], { env: fullEnv, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`))
      else resolve(JSON.parse(stdout.trim().split('\n').pop()))
    })
  })
}

test('ENIGMA_MAX_RETRIES: 0 lets a failure through that the default retries', async () => {
  const sim = await startSim()
  try {
    await sim.injectFault({ endpoint: 'GET /start/health', status: 500, count: 1 })
    assert.equal((await runChild(sim, 'health', {})).outcome, 'ok')
    await sim.injectFault({ endpoint: 'GET /start/health', status: 500, count: 1 })
    const report = await runChild(sim, 'health', { ENIGMA_MAX_RETRIES: '0' })
    assert.equal(report.outcome, 'server')
    assert.equal(report.config.maxRetries, 0)
  } finally {
    await sim.shutdown()
  }
})

test('ENIGMA_REQUEST_TIMEOUT bounds a slow answer', async () => {
  const sim = await startSim()
  try {
    await sim.injectFault({ endpoint: 'GET /start/health', action: 'delay', delayMs: 3000, count: 3 })
    const report = await runChild(sim, 'health', { ENIGMA_REQUEST_TIMEOUT: '0.2', ENIGMA_MAX_RETRIES: '0' })
    assert.equal(report.outcome, 'connection')
    assert.equal(report.config.requestTimeoutMs, 200)
  } finally {
    await sim.shutdown()
  }
})

test('ENIGMA_POLL_INTERVAL sets how often a REST wait polls', async () => {
  const sim = await startSim()
  try {
    // REST only, so the wait polls; the task runs 1.5 s wall after the 0.5 s inline wait. At
    // the default 2 s interval that is one or two polls; at 20 ms, dozens.
    const report = await runChild(sim, 'runTask', { ENIGMA_POLL_INTERVAL: '0.02', ENIGMA_LIVE_EVENTS: '0' })
    assert.equal(report.outcome, 'ok')
    assert.equal(report.config.pollIntervalMs, 20)
    assert.ok(stat(sim, 'requests.byEndpoint.GET /task') >= 10, JSON.stringify(sim.stats().requests))
  } finally {
    await sim.shutdown()
  }
})
