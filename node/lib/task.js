'use strict'
const { inspect } = require('node:util')
const { call } = require('./call')

/** A task of a session: ids plus the client. Re-made from ids with `client.task()`. */
class Task {
  #native
  #client

  /** @internal */
  constructor(native, client) {
    this.#native = native
    this.#client = client
  }

  /** The task id; `null` until the service names the task (see `waitForId`). */
  get id() {
    return this.#native.id
  }

  /** The task id, once the service names the task (at once if it already did). */
  waitForId(options = {}) {
    return call(options?.signal, (token) => this.#native.waitForId(token))
  }

  /** The session's id. */
  get sessionId() {
    return this.#native.sessionId
  }

  /** A handle on the task's session (re-attached by id). */
  session() {
    return this.#client._wrapSession(this.#native.session())
  }

  /** One look at the task (`GET /task/:sessionId/:taskId`). */
  poll(options = {}) {
    return call(options?.signal, (token) => this.#native.poll(token), this.#client._makeTask)
  }

  /** Waits for the outcome: `completed`, `guardrail` or `stopped` (a failure rejects). */
  result(options = {}) {
    const { signal, onStatus, ...wait } = options ?? {}
    return call(
      signal,
      (token) => this.#native.result(wait, token, typeof onStatus === 'function' ? onStatus : undefined),
      // A timeout or cost stop names this very task: `err.task` is this handle again.
      () => this,
    )
  }

  toJSON() {
    return { id: this.id, sessionId: this.sessionId }
  }

  [inspect.custom]() {
    return `Task { id: '${this.id}', sessionId: '${this.sessionId}' }`
  }
}

module.exports = { Task }
