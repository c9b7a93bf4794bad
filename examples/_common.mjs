// Shared by the Node examples (files starting with `_` are helpers, not examples).
//
// With ENIGMA_API_KEY set, the examples use the service (ENIGMA_BASE_URL and the other ENIGMA_*
// settings apply). Without it they start the package's in-process simulator, fast
// (timeScale 0.02: a simulated second lasts 20 ms), so each one runs offline and exits 0.
import { Client } from 'enigma-click'
import { startSimulator } from 'enigma-click/testing'

export const onSimulator = !process.env.ENIGMA_API_KEY?.trim()
const simulatorKey = 'enig_examples000000000000000000000'
let simulator

/** A client: on the service with a key, else on the in-process simulator (started on first use). */
export async function client(options = {}) {
  if (!onSimulator) return new Client(options)
  if (!simulator) {
    simulator = await startSimulator({ timeScale: 0.02, rateLimit: 0 })
    console.error(`(no ENIGMA_API_KEY: on the in-process simulator at ${simulator.url})`)
  }
  return new Client({ apiKey: simulatorKey, baseUrl: simulator.url, pollIntervalMs: 20, ...options })
}

/** The task text; on the simulator, with `#sim` directives that script its agent
 * (crates/enigma-sim/README.md, "Directives"). The service never sees them. */
export function task(text, sim = '') {
  return onSimulator && sim ? `${text} ${sim}` : text
}

/** The environment for another process that should reach the same service. */
export function childEnv() {
  return onSimulator ? { ...process.env, ENIGMA_API_KEY: simulatorKey, ENIGMA_BASE_URL: simulator.url } : process.env
}

/** Stops the simulator, if one was started. */
export async function done() {
  await simulator?.shutdown()
}
