'use strict'
const { inspect } = require('node:util')
const { call, callSync } = require('./call')
const { EventStream } = require('./events')
const signals = require('./signals')

/** `newTask('text')` is `newTask({ taskDetails: 'text' })`. */
function taskArgs(options) {
  if (typeof options === 'string') return [{ taskDetails: options }, undefined]
  const { signal, ...rest } = options ?? {}
  return [rest, signal]
}

/**
 * A browser session. Sessions bill while open: end them with `terminate()`, or use
 * `client.withSession()` / `await using`, which always do.
 */
class Session {
  #native
  #client

  /** @internal */
  constructor(native, client) {
    this.#native = native
    this.#client = client
  }

  /** The session id. */
  get id() {
    return this.#native.id
  }

  /** The live view page (`streaming.webViewURL`), when known. */
  get liveViewUrl() {
    return this.#native.liveViewUrl
  }

  /**
   * The live view to embed: `{ url, html }`, `html` a frame of the viewport's size (1024×600)
   * showing `url`; with `readOnly: true` the frame takes no input. `null` on a re-attached handle.
   */
  liveView({ readOnly = false } = {}) {
    const view = this.#native.liveView(Boolean(readOnly))
    return view === null ? null : { url: view.url, html: view.html, readOnly: view.readOnly }
  }

  /** The start answer; `null` on a re-attached handle. */
  get info() {
    return this.#native.info
  }

  /** The task started by `taskDetails` at start, when the service named it. */
  get initialTask() {
    const native = this.#native.initialTask
    return native ? this.#client._wrapTask(native) : null
  }

  /** Whether this handle terminated the session. */
  get terminated() {
    return this.#native.terminated
  }

  /**
   * The session's live events, as an async iterator: `for await (const event of
   * session.events())`. Ends after the session ends; `break` (or `options.signal`, which then
   * rejects with AbortError) closes it. Every call gives an independent stream.
   */
  events(options) {
    return new EventStream(callSync(() => this.#native.events()), options?.signal)
  }

  /** A handle on a task of this session. */
  task(taskId) {
    return this.#client._wrapTask(callSync(() => this.#native.task(taskId)))
  }

  /** Starts a task (one runs at a time, one more may wait queued). */
  async newTask(options) {
    const [opts, signal] = taskArgs(options)
    const native = await call(signal, (t) => this.#native.newTask(opts, t))
    return this.#client._wrapTask(native)
  }

  /** Pauses the current task after its current action. */
  pause(options) {
    return call(options?.signal, (t) => this.#native.command('pause', t))
  }

  /** Resumes a paused task. */
  resume(options) {
    return call(options?.signal, (t) => this.#native.command('resume', t))
  }

  /** Stops the current task; the session stays usable. */
  stop(options) {
    return call(options?.signal, (t) => this.#native.command('stop', t))
  }

  /** Ends the session (final; safe to call twice; not abortable). */
  async terminate() {
    try {
      return await call(undefined, () => this.#native.terminate())
    } finally {
      signals.settle()
    }
  }

  /** Takes manual control of the browser (the agent pauses). */
  takeOver(options) {
    return call(options?.signal, (t) => this.#native.command('takeOver', t))
  }

  /** Gives control back to the agent. */
  release(options) {
    return call(options?.signal, (t) => this.#native.command('release', t))
  }

  /** Clicks at window coordinates (x 0–1024, y 155–755). */
  click(x, y, options) {
    return call(options?.signal, (t) => this.#native.click(x, y, t))
  }

  /** Double-clicks at window coordinates. */
  doubleClick(x, y, options) {
    return call(options?.signal, (t) => this.#native.doubleClick(x, y, t))
  }

  /** Types text, optionally with human-like timing. */
  typeText(text, options) {
    return call(options?.signal, (t) => this.#native.typeText(text, options?.humanLike, t))
  }

  /** Presses one key (Enter, Escape, Tab, arrows..., or one character). */
  pressKey(key, options) {
    return call(options?.signal, (t) => this.#native.pressKey(key, t))
  }

  /** Answers a guardrail question; `resume: false` ends the task instead. */
  answerGuardrail(text, options) {
    return call(options?.signal, (t) => this.#native.answerGuardrail(text, options?.resume ?? true, t))
  }

  /** `await using session = await client.startSession()` terminates it at scope exit. */
  [Symbol.asyncDispose]() {
    return this.terminate()
  }

  toJSON() {
    return { id: this.id, liveViewUrl: this.liveViewUrl, terminated: this.terminated }
  }

  [inspect.custom](depth, options, inspectFn = inspect) {
    return `Session ${inspectFn(this.toJSON(), options)}`
  }
}

module.exports = { Session, taskArgs }
