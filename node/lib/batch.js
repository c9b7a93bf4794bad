'use strict'
// client.runMany(tasks, options): an async iterator over the core's batch runner. Pull-based
// (each `next()` asks Rust for one item), so no JS callback is stored in Rust. The core paces
// creates, keeps to the key's sessions, holds the budget, journals, and owns the end of every
// session it opens; this file only calls `onGuardrail` for questions, `onProgress` after each
// item and as each wait for the rate limit begins, and wires the AbortSignal (abort = cancel the batch, then reject with AbortError).

const { call, checkSignal } = require('./call')
const { abortError, ValidationError } = require('./errors')

const DONE = Object.freeze({ value: undefined, done: true })
const OPTION_KEYS = ['concurrency', 'budget', 'journal', 'tasksPerSession', 'retryUnknown', 'skipInvalid']

function batchOptions(options) {
  if (options === undefined || options === null) return {}
  if (typeof options !== 'object') {
    throw new ValidationError('invalid options: must be an object', { code: 'validation', field: 'options' })
  }
  const out = {}
  for (const key of OPTION_KEYS) if (options[key] !== undefined) out[key] = options[key]
  return out
}

function callback(options, name) {
  const fn = options?.[name]
  if (fn === undefined || fn === null) return undefined
  if (typeof fn !== 'function') {
    throw new ValidationError(`invalid ${name}: must be a function`, { code: 'validation', field: name })
  }
  return fn
}

/** A running batch: `for await (const item of client.runMany(tasks)) { ... }`. */
class BatchRun {
  #start
  #native
  #signal
  #onAbort
  #onGuardrail
  #onProgress
  #done = false
  #summary = null

  /** @internal */
  constructor(startNative, tasks, options = {}) {
    if (!Array.isArray(tasks)) {
      throw new ValidationError('invalid tasks: must be an array', { code: 'validation', field: 'tasks' })
    }
    this.#signal = checkSignal(options?.signal)
    this.#onGuardrail = callback(options, 'onGuardrail')
    this.#onProgress = callback(options, 'onProgress')
    const opts = batchOptions(options)
    this.#start = () => startNative(tasks, opts, this.#onGuardrail !== undefined)
    if (this.#signal) {
      this.#onAbort = () => this.#native?.cancel()
      this.#signal.addEventListener('abort', this.#onAbort, { once: true })
    }
  }

  [Symbol.asyncIterator]() {
    return this
  }

  /** The summary once the batch has ended (counts per outcome, spent, budgetReached...), else null. */
  get summary() {
    if (this.#summary === null && this.#native) this.#summary = this.#native.summary()
    return this.#summary
  }

  /** Where the batch stands (total, done, failed, running, queued, spent, budget...). */
  progress() {
    return this.#native ? this.#native.progress() : null
  }

  /** Stops the batch: no new task starts and every session it opened is terminated. */
  cancel() {
    this.#native?.cancel()
  }

  async #ensure() {
    if (!this.#native) this.#native = await call(undefined, () => this.#start())
    return this.#native
  }

  /** The next ended task; `{ done: true }` once every task has ended. */
  async next() {
    if (this.#done) return DONE
    const native = await this.#ensure()
    if (this.#signal?.aborted) native.cancel()
    for (;;) {
      const data = await call(undefined, (t) => native.next(t))
      if (data === null || data === undefined) {
        this.#finish()
        if (this.#signal?.aborted) throw abortError(this.#signal)
        return DONE
      }
      if (data.rateLimitWait !== undefined) {
        // A wait for the key's rate limit began: the display says so (progress.rateLimitWait).
        if (this.#onProgress) this.#onProgress({ ...native.progress(), rateLimitWait: data.rateLimitWait }, null)
        continue
      }
      if (data.token !== undefined) {
        let answer = null
        if (this.#onGuardrail) answer = (await this.#onGuardrail(data.question)) ?? null
        native.answer(data.token, typeof answer === 'string' ? answer : null)
        continue
      }
      if (this.#onProgress) this.#onProgress(native.progress(), data)
      return { value: data, done: false }
    }
  }

  /** Stops the batch (what `break` calls) and waits until its sessions are terminated. */
  async return(value) {
    if (!this.#done && this.#native) {
      this.#native.cancel()
      this.#summary = await this.#native.finished()
    }
    this.#finish()
    return { value, done: true }
  }

  #finish() {
    this.#done = true
    if (this.#onAbort) this.#signal.removeEventListener('abort', this.#onAbort)
  }
}

module.exports = { BatchRun }
