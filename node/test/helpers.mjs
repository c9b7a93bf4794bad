// Shared test setup: an in-process simulator per test file (fast time, no rate limit) and
// clients pointed at it, each with its own key (limits are per key).
import { Client } from 'enigma-click'
import { startSimulator } from 'enigma-click/testing'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

// The sessions these tests open go to a ledger of their own, not the developer's (README: the
// session ledger); scripts/test-all.sh names one for the whole run already.
process.env.ENIGMA_LEDGER ??= join(mkdtempSync(join(tmpdir(), 'enigma-ledger-')), 'sessions.jsonl')

/** 1 simulated second = 10 ms. */
export const TIME_SCALE = 0.01

let n = 0
export function key() {
  n += 1
  return `enig_node${process.pid}x${String(n).padStart(20, '0')}`
}

/**
 * Whether this run's simulators send only what the docs promise (ENIGMA_TEST_STRICT_DOCS=1;
 * scripts/test-all.sh runs the event, wait, batch and control tests that way too).
 */
export const STRICT_DOCS = process.env.ENIGMA_TEST_STRICT_DOCS === '1'

export function startSim(options = {}) {
  return startSimulator({ timeScale: TIME_SCALE, rateLimit: 0, strictDocs: STRICT_DOCS, ...options })
}

export function makeClient(sim, options = {}) {
  return new Client({ apiKey: key(), baseUrl: sim.url, pollIntervalMs: 10, retryBackoffMs: 10, ...options })
}

/** A number in the stats by dotted path (`requests.byMessage.state:pause`); absent = 0. */
export function stat(sim, path) {
  let node = sim.stats()
  let rest = path
  for (;;) {
    const dot = rest.indexOf('.')
    if (dot < 0) break
    const head = rest.slice(0, dot)
    if (node[head] === undefined || typeof node[head] !== 'object') break
    node = node[head]
    rest = rest.slice(dot + 1)
  }
  return typeof node[rest] === 'number' ? node[rest] : 0
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/** Waits until a stat has the value (the simulator acts on timers), failing after 5 s. */
export async function eventually(sim, path, expected) {
  for (let i = 0; i < 500; i++) {
    if (stat(sim, path) === expected) return
    await sleep(10)
  }
  throw new Error(`${path} never became ${expected}: ${JSON.stringify(sim.stats())}`)
}

/** How many times a message was sent, over REST or the socket (`state:pause`, `newTask`...). */
export function sent(sim, message) {
  return stat(sim, `requests.byMessage.${message}`) + stat(sim, `socketMessages.byMessage.${message}`)
}
