'use strict'
// session.events(): an async iterator over the native event stream. Pull-based (each `next()`
// asks Rust for one event), so no JS callback is stored in Rust and nothing keeps the process
// alive; `return()` (what `break` calls) and the end of the session drop the native stream.
// Events are plain objects discriminated by `type` (the `EnigmaEvent` union in index.d.ts); a
// reader slower than the events gets `{ type: 'lagged', missed }` where it skipped some.

const { inspect } = require('node:util')
const { call, checkSignal } = require('./call')
const { abortError } = require('./errors')

const DONE = Object.freeze({ value: undefined, done: true })

/** The live events of one session: `for await (const event of session.events()) { ... }`. */
class EventStream {
  #native
  #signal
  #onAbort
  #done = false

  /** @internal */
  constructor(native, signal) {
    this.#native = native
    this.#signal = checkSignal(signal)
    if (this.#signal) {
      // Closing at once also answers a pending `next()`, which then rejects with AbortError.
      this.#onAbort = () => this.#close()
      if (this.#signal.aborted) this.#close()
      else this.#signal.addEventListener('abort', this.#onAbort, { once: true })
    }
  }

  /**
   * The next event; `{ done: true }` once the session has ended or the stream was closed.
   * `options.signal` cancels this one call (it rejects with AbortError) and keeps the stream:
   * no event is lost, the next call gets the event that came meanwhile. (An event already
   * delivered when the signal fires is returned.)
   */
  async next(options) {
    if (this.#signal?.aborted) {
      this.#close()
      throw abortError(this.#signal)
    }
    if (this.#done) return DONE
    const own = checkSignal(options?.signal)
    const signal = own && this.#signal ? AbortSignal.any([own, this.#signal]) : (own ?? this.#signal)
    // A cancelled call drops its native read before it took an event (the core's stream is
    // cancel-safe), so the event stays for the next call.
    const event = await call(signal, (token) => this.#native.next(token))
    if (this.#signal?.aborted) {
      this.#close()
      throw abortError(this.#signal)
    }
    if (event === null || event === undefined) {
      this.#close()
      return DONE
    }
    return { value: event, done: false }
  }

  /** Stops the stream (what `break` calls): the native stream is dropped. */
  async return(value) {
    this.#close()
    return { value, done: true }
  }

  /** Stops the stream and rethrows `err` (an error thrown into the iterator). */
  async throw(err) {
    this.#close()
    throw err
  }

  /** Same as `return()`, for `await using events = session.events()`. */
  async [Symbol.asyncDispose]() {
    this.#close()
  }

  [Symbol.asyncIterator]() {
    return this
  }

  /** Whether the stream has ended or was closed. */
  get closed() {
    return this.#done
  }

  #close() {
    if (this.#done) return
    this.#done = true
    if (this.#onAbort) this.#signal.removeEventListener('abort', this.#onAbort)
    this.#native.close()
  }

  [inspect.custom]() {
    return `EventStream { closed: ${this.#done} }`
  }
}

module.exports = { EventStream }
