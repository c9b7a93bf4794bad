'use strict'
// enigma-click/testing: the Enigma simulator, in-process (from the same native addon), for
// users' own tests. See crates/enigma-sim/README.md for what it simulates.
const { inspect } = require('node:util')
const { startSimulator: startNative } = require('./native')
const { call } = require('./call')

/** A running simulator: point a Client at `url` (any key starting `enig_`). */
class Simulator {
  #native

  /** @internal */
  constructor(native) {
    this.#native = native
  }

  /** Base URL, e.g. `http://127.0.0.1:PORT`. */
  get url() {
    return this.#native.url
  }

  /** What the server saw: sessions, tasks, requests per endpoint and message (`/_sim/stats`). */
  stats() {
    const stats = this.#native.stats()
    if (stats === null || stats === undefined) throw new Error('the simulator was shut down')
    return stats
  }

  /** How a replay went (`stats().replay`); null when it serves no recording. */
  replayStats() {
    return this.stats().replay ?? null
  }

  /** Arms a fault for the next requests to one endpoint (`POST /_sim/faults`). */
  async injectFault(rule) {
    const response = await fetch(`${this.url}/_sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(rule),
    })
    if (!response.ok) throw new Error(`the simulator refused the fault: ${await response.text()}`)
  }

  /** Clears every armed fault. */
  async clearFaults() {
    await fetch(`${this.url}/_sim/faults`, { method: 'DELETE' })
  }

  /** Stops the server (open requests get up to 3 s). Later calls do nothing. */
  shutdown() {
    return this.#native.shutdown()
  }

  [Symbol.asyncDispose]() {
    return this.shutdown()
  }

  [inspect.custom]() {
    return `Simulator { url: '${this.url}' }`
  }
}

/** Starts a simulator on loopback (any free port unless `port` is given). */
async function startSimulator(options = {}) {
  return new Simulator(await call(undefined, () => startNative(options ?? {})))
}

module.exports = { startSimulator, Simulator }
