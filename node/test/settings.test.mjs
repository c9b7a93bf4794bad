// The client's settings checked against the core's own list (native `optionFields().client`,
// from `enigma::ClientSettings`, the list Rust's builder sets and Python's constructors take):
// index.d.ts declares each one as a `ClientOptions` property and a `ClientConfig` field, and a
// client shows back every one it was given. `handleSignals` and `terminateOnExit` are Node's own
// (what the process does at exit), not settings of the core. Also: the errors that hand back
// their task are the core's (`taskCarrierCodes()`, from `enigma::ErrorCode::carries_task`).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { key, startSim } from './helpers.mjs'
import { Client } from 'enigma-click'

const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)
const native = require('../lib/native')
const { fromNative } = require('../lib/errors')
const dts = fs.readFileSync(path.join(pkg, 'index.d.ts'), 'utf8')
const CORE = native.optionFields().client
const NODE_ONLY = ['handleSignals', 'terminateOnExit']

const keys = (name) => {
  const body = dts.match(new RegExp(`^export interface ${name} [^{]*\\{\\n([\\s\\S]*?)^\\}`, 'm'))
  assert.ok(body, `index.d.ts has no interface ${name}`)
  return [...body[1].matchAll(/^  (\w+)\??:/gm)].map((m) => m[1]).sort()
}

let sim
before(async () => {
  sim = await startSim()
})
after(() => sim.shutdown())

test('the core lists its settings, in Node spelling', () => {
  for (const f of ['apiKey', 'baseUrl', 'connectTimeoutMs', 'extraRootCaPem', 'userAgentPrefix', 'retryBackoffMs']) {
    assert.ok(CORE.includes(f), `${f}: ${JSON.stringify(CORE)}`)
  }
})

test('index.d.ts declares every core setting, and no other but Node\'s own', () => {
  assert.deepEqual(keys('ClientOptions').filter((k) => !NODE_ONLY.includes(k)), [...CORE].sort())
  assert.deepEqual(keys('ClientConfig'), [...CORE].sort())
})

test('every setting given reaches the core and shows in client.config', async () => {
  const given = {
    requestTimeoutMs: 30_000,
    connectTimeoutMs: 3_000,
    maxRetries: 4,
    retryBackoffMs: 250,
    retryBackoffMaxMs: 4_000,
    retryAfterMaxMs: 7_000,
    maxResponseBytes: 1 << 20,
    pollIntervalMs: 500,
    allowInsecureHttp: true,
    liveEvents: false,
    userAgentPrefix: 'my-app/1.0',
    ledger: 'off',
  }
  const client = new Client({ apiKey: key(), baseUrl: sim.url, ...given })
  const shown = client.config
  assert.deepEqual(Object.keys(shown).sort(), [...CORE].sort())
  for (const [k, v] of Object.entries(given)) assert.equal(shown[k], v, k)
  assert.match(shown.apiKey, /redacted/)
  await client.close()
})

test('the errors that hand back their task are the core\'s', () => {
  const carriers = native.taskCarrierCodes()
  assert.deepEqual([...carriers].sort(), ['cost_limit', 'wait_timeout'])
  for (const code of native.errorCodes()) {
    const err = fromNative({ enigmaPayload: { code, message: code, sessionId: 's', taskId: 't' } }, () => ({ id: 't' }))
    assert.equal(err.task !== undefined, carriers.includes(code), code)
  }
})
