'use strict'
// SIGINT / SIGTERM while sessions are open, and the core's background cleanups at exit.
//
// Node's default for SIGINT and SIGTERM ends the process on the spot: no `finally` runs, and
// every open session bills until it expires. While a client with `handleSignals` on (the
// default; `handleSignals: false` or ENIGMA_HANDLE_SIGNALS=0 turn it off) has sessions open,
// or a call that opens one (startSession, startTask, runTask) is running, a listener for both
// signals is installed. On a signal it:
//   1. removes itself (a second signal gets the default: the process ends at once);
//   2. aborts the running session-opening calls (the core then terminates what they opened);
//   3. terminates every session still open through such clients, and waits for the core's
//      background terminates, all within WAIT_MS;
//   4. if no other listener of the user's is there, re-raises the signal, so the process ends
//      as the signal would have ended it (exit code 128+n in a shell); otherwise the exit is
//      left to the user's listeners.
// Separately, `beforeExit` (once) terminates the sessions still open through clients made with
// `terminateOnExit`, and waits (within WAIT_MS) for background terminates still running: they
// run on the native runtime, which does not keep the event loop alive.

const native = require('./native')
const { checkSignal } = require('./call')

const SIGNALS = ['SIGINT', 'SIGTERM']
const WAIT_MS = 5000

/** Clients made with `terminateOnExit`: their sessions still open at `beforeExit` are terminated. */
const terminating = new Set()
/** Clients with handleSignals on that opened sessions (dropped once none is open). */
const clients = new Set()
/** Session-opening calls running: { controller, settled }. */
const running = new Set()
let armed = false
let exitHooked = false

function enabledByEnv() {
  const value = String(process.env.ENIGMA_HANDLE_SIGNALS ?? '1').trim().toLowerCase()
  return !['0', 'false', 'no', 'off'].includes(value)
}

/** `client` was made with `terminateOnExit`: end its open sessions when the process runs out of work. */
function terminateAtExit(client) {
  terminating.add(client)
  hookExit()
}

/** `client` opened a session: protect it until none of its sessions is open. */
function sessionOpened(client) {
  if (!client.handleSignals) return
  clients.add(client)
  arm()
}

/**
 * Runs `start(signal)`, a call that opens a session, so that a signal meanwhile aborts it.
 * `signal` is the user's AbortSignal, linked with the one the handler aborts.
 */
async function guardCall(client, userSignal, start) {
  userSignal = checkSignal(userSignal)
  if (!client.handleSignals) return start(userSignal)
  // Linked by hand: the user's signal may be any AbortSignal-like object.
  const controller = new AbortController()
  const follow = () => controller.abort(userSignal.reason)
  if (userSignal?.aborted) follow()
  else userSignal?.addEventListener('abort', follow, { once: true })
  const entry = { controller, settled: null }
  running.add(entry)
  arm()
  const promise = Promise.resolve().then(() => start(controller.signal))
  entry.settled = promise.then(
    () => {},
    () => {},
  )
  try {
    return await promise
  } finally {
    userSignal?.removeEventListener?.('abort', follow)
    running.delete(entry)
    settle()
  }
}

/** Something ended: uninstall the listeners when nothing is left to protect. */
function settle() {
  for (const client of clients) {
    if (openIds(client).length === 0) clients.delete(client)
  }
  if (clients.size === 0 && running.size === 0) disarm()
}

function openIds(client) {
  try {
    return client.openSessionIds()
  } catch {
    return []
  }
}

function arm() {
  hookExit()
  if (armed) return
  armed = true
  for (const name of SIGNALS) process.on(name, onSignal)
}

function disarm() {
  if (!armed) return
  armed = false
  for (const name of SIGNALS) process.removeListener(name, onSignal)
}

async function onSignal(name) {
  disarm()
  const othersListen = process.listenerCount(name) > 0
  const calls = [...running]
  const protectedClients = [...clients]
  const cleanup = (async () => {
    for (const call of calls) call.controller.abort(new Error(`${name} received: ending the sessions this process opened`))
    // Each aborted call settles once its native work is dropped, i.e. once its cleanup is spawned.
    await Promise.all(calls.map((c) => c.settled))
    await Promise.allSettled(protectedClients.map((c) => c.terminateOpenSessions()))
    await native.waitForCleanups(WAIT_MS)
  })()
  let timer
  const limit = new Promise((resolve) => {
    timer = setTimeout(resolve, WAIT_MS)
  })
  await Promise.race([cleanup.catch(() => {}), limit])
  clearTimeout(timer)
  settle()
  if (othersListen) return // the user's listeners decide what happens next
  process.kill(process.pid, name) // no listener left: the default action ends the process
  // Should the signal not end it (an unusual disposition set outside Node), exit as a shell would report it.
  setTimeout(() => process.exit(128 + (require('node:os').constants.signals[name] ?? 0)), 100).unref()
}

function hookExit() {
  if (exitHooked) return
  exitHooked = true
  let waited = false
  process.on('beforeExit', () => {
    if (waited) return
    const closing = [...terminating].filter((client) => openIds(client).length > 0)
    if (closing.length === 0 && native.pendingCleanups() === 0) return
    waited = true // once: a cleanup that never finishes must not hold the process forever
    // The pending native promises keep the event loop alive until they settle.
    Promise.allSettled(closing.map((client) => client.terminateOpenSessions()))
      .then(() => native.waitForCleanups(WAIT_MS))
      .catch(() => {})
  })
}

module.exports = { enabledByEnv, sessionOpened, guardCall, settle, terminateAtExit, WAIT_MS }
