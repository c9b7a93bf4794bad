'use strict'
const { inspect } = require('node:util')
const { NativeClient } = require('./native')
const { call, callSync, checkSignal } = require('./call')
const { abortError, ValidationError } = require('./errors')
const { Session } = require('./session')
const { Task } = require('./task')
const { BatchRun } = require('./batch')
const signals = require('./signals')
const { version } = require('../package.json')

/** Options without the JS-only `signal` (the core reads and checks the rest). */
function sessionArgs(options) {
  if (typeof options === 'string') return [{ taskDetails: options }, undefined]
  const { signal, ...rest } = options ?? {}
  return [rest, signal]
}

/**
 * The entry point: one connection pool shared by every session and task made from it.
 * Settings not given come from `ENIGMA_API_KEY`, `ENIGMA_BASE_URL` and the other `ENIGMA_*`
 * variables.
 */
class Client {
  #native
  #handleSignals
  #terminateOnExit

  constructor(options = {}) {
    if (options !== null && typeof options !== 'object') {
      throw new ValidationError('invalid options: must be an object', { code: 'validation', field: 'options' })
    }
    const { handleSignals, terminateOnExit, ...settings } = { userAgentPrefix: `enigma-node/${version}`, ...(options ?? {}) }
    this.#native = callSync(() => new NativeClient(settings))
    this.#handleSignals = handleSignals === undefined ? signals.enabledByEnv() : Boolean(handleSignals)
    this.#terminateOnExit = Boolean(terminateOnExit)
    if (this.#terminateOnExit) signals.terminateAtExit(this)
    // Bound once: error mapping re-creates the task handles that errors carry.
    Object.defineProperty(this, '_makeTask', {
      value: (sessionId, taskId) => (taskId ? this._wrapTask(this.#native.task(sessionId, taskId)) : null),
    })
  }

  /** The service's base URL. */
  get baseUrl() {
    return this.#native.config.baseUrl
  }

  /**
   * Whether SIGINT/SIGTERM end this client's open sessions before the process exits (option
   * `handleSignals`, default true unless `ENIGMA_HANDLE_SIGNALS=0`; see the README's "Signals").
   */
  get handleSignals() {
    return this.#handleSignals
  }

  /**
   * Whether `close()` and the process's natural exit terminate the sessions this client still
   * has open (option `terminateOnExit`, default false, as Python's `terminate_on_exit`).
   */
  get terminateOnExit() {
    return this.#terminateOnExit
  }

  /** The configuration in use; the key only in redacted form. */
  get config() {
    return this.#native.config
  }

  // The native client; once closed, the core refuses its calls (a ValidationError naming
  // `client`, as in Python).
  #live() {
    return this.#native
  }

  /** Starts a session. It bills until it ends: prefer `withSession` or `await using`. */
  async startSession(options = {}) {
    const [session, signal] = sessionArgs(options)
    const native = await signals.guardCall(this, signal, async (linked) => {
      const started = await call(linked, (t) => this.#live().startSession(session, t))
      signals.sessionOpened(this)
      return started
    })
    return this._wrapSession(native)
  }

  /**
   * Starts a session, runs `work(session)`, and terminates the session afterwards whatever
   * happens: on success, on a throw, and when `options.signal` aborts (the promise then
   * rejects with AbortError at once).
   */
  async withSession(options, work) {
    if (typeof options === 'function') [options, work] = [{}, options]
    if (typeof work !== 'function') {
      throw new ValidationError('invalid work: withSession needs a function', { code: 'validation', field: 'work' })
    }
    const signal = checkSignal(options?.signal)
    const session = await this.startSession(options)
    let onAbort
    const aborted = signal
      ? new Promise((_, reject) => {
          onAbort = () => reject(abortError(signal))
          if (signal.aborted) onAbort()
          else signal.addEventListener('abort', onAbort, { once: true })
        })
      : null
    let failed = false
    try {
      const running = Promise.resolve().then(() => work(session))
      if (!aborted) return await running
      running.catch(() => {}) // its outcome no longer matters once aborted
      return await Promise.race([running, aborted])
    } catch (err) {
      failed = true
      throw err
    } finally {
      if (onAbort) signal.removeEventListener('abort', onAbort)
      try {
        await session.terminate()
      } catch (err) {
        if (!failed) throw err // otherwise the work's error is the one to see
      }
    }
  }

  /**
   * One-shot: a session that runs one task, ends by itself, and the task's result. Nothing is
   * left open: a `guardrail` outcome ends the session before the promise resolves (the result
   * still holds the question; answer questions in a session of your own), and an abort
   * terminates it.
   */
  runTask(options) {
    const [session, signal] = sessionArgs(options)
    const run = (linked) => call(linked, (t) => this.#live().runTask(session, t), this._makeTask)
    return signals.guardCall(this, signal, run)
  }

  /**
   * Runs many tasks under this key: `for await (const item of client.runMany(tasks, options))`.
   * See `BatchRun` (lib/batch.js) and the README's "Batches".
   */
  runMany(tasks, options = {}) {
    return new BatchRun((t, o, g) => this.#live().runMany(t, o, g), tasks, options)
  }

  /** One-shot without waiting: run-task, returning the task to wait on. */
  async startTask(options) {
    const [session, signal] = sessionArgs(options)
    const start = (linked) => call(linked, (t) => this.#live().startTask(session, t))
    return this._wrapTask(await signals.guardCall(this, signal, start))
  }

  /** Re-attaches to a session by id (e.g. started in another process). */
  session(sessionId) {
    return this._wrapSession(callSync(() => this.#live().session(sessionId)))
  }

  /** Re-attaches to a task by ids. */
  task(sessionId, taskId) {
    return this._wrapTask(callSync(() => this.#live().task(sessionId, taskId)))
  }

  /**
   * The task behind an answer of the OpenAI-compatible endpoint (`/v1/chat/completions`): a
   * completion or a stream chunk of the official `openai` package, its `APIError` (a guardrail),
   * or the same as plain JSON. No request: poll it, wait for it, or stop it (`task.session()`).
   */
  taskFromCompletion(completion) {
    // The openai package's errors carry the body's `error` object as `.error`.
    const value = completion instanceof Error && completion.error ? completion.error : completion
    return this._wrapTask(callSync(() => this.#live().taskFromCompletion(value)))
  }

  /** Service health (`GET /start/health`, no key needed). */
  health(options) {
    return call(options?.signal, (t) => this.#live().health(t))
  }

  /** Active instance connections (`GET /start/active-sockets`). */
  activeSockets(options) {
    return call(options?.signal, (t) => this.#live().activeSockets(t))
  }

  /**
   * The sessions the local ledger saw opened and never saw end (a process that died left them
   * billing), each checked against the service; with `terminate: true`, those still open whose
   * process is gone are terminated. The same as `enigma session list [--terminate]`.
   */
  unendedSessions(options = {}) {
    const terminate = options?.terminate ?? false
    if (typeof terminate !== 'boolean') {
      return Promise.reject(new ValidationError('invalid terminate: must be a boolean', { code: 'validation', field: 'terminate' }))
    }
    return call(options?.signal, (t) => this.#live().unendedSessions(terminate, t))
  }

  /** The session ledger's file (`ENIGMA_LEDGER`, else the user's state directory), or null when it is off. */
  get ledgerPath() {
    return this.#native.ledgerPath ?? null
  }

  /** Ids of the sessions started through this client and not terminated through it. */
  openSessionIds() {
    return this.#native.openSessionIds()
  }

  /** Terminates every session in `openSessionIds()`; resolves to the ids that failed. */
  async terminateOpenSessions() {
    try {
      return await call(undefined, () => this.#native.terminateOpenSessions())
    } finally {
      signals.settle()
    }
  }

  /**
   * Releases the client: its later calls reject (or throw) with a ValidationError naming
   * `client`, as in Python; handles made before keep working. Optional (an unused client is
   * freed by the garbage collector and never keeps the process alive). Open sessions are
   * terminated only with `terminateOnExit: true` (the promise settles once they are; a failure
   * is reported with `process.emitWarning`); otherwise they stay open, and
   * `terminateOpenSessions()` still ends them after `close()`. Idempotent.
   */
  async close() {
    const first = !this.#native.closed
    this.#native.close()
    if (!first || !this.#terminateOnExit) return
    for (const id of await this.terminateOpenSessions()) {
      process.emitWarning(`could not terminate session ${id} on close()`, { code: 'ENIGMA_TERMINATE_FAILED' })
    }
  }

  /** Whether `close()` was called. */
  get closed() {
    return this.#native.closed
  }

  /** @internal */
  _wrapSession(native) {
    return new Session(native, this)
  }

  /** @internal */
  _wrapTask(native) {
    return new Task(native, this)
  }

  toJSON() {
    return { baseUrl: this.baseUrl }
  }

  [inspect.custom](depth, options, inspectFn = inspect) {
    const c = this.config
    return `Client ${inspectFn({ baseUrl: c.baseUrl, apiKey: c.apiKey ?? null }, options)}`
  }
}

module.exports = { Client }
