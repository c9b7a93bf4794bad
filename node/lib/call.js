'use strict'
// Runs one native call with an optional AbortSignal: the signal cancels a native CancelToken
// (the Rust future selects on it and is dropped); errors come back as EnigmaError subclasses.
// Nothing here stores a JS callback in Rust.

const { CancelToken } = require('./native')
const { fromNative, abortError, AbortError, ValidationError } = require('./errors')

function checkSignal(signal) {
  if (signal === undefined || signal === null) return undefined
  if (typeof signal !== 'object' || typeof signal.aborted !== 'boolean' || typeof signal.addEventListener !== 'function') {
    throw new ValidationError('invalid signal: must be an AbortSignal', { code: 'validation', field: 'signal' })
  }
  return signal
}

/**
 * `invoke(token)` starts the native call (token is undefined without a signal).
 * `makeTask(sessionId, taskId)` re-creates task handles carried by errors.
 */
function call(signal, invoke, makeTask) {
  // Without a signal (the common case) no token, listener or async frame: the native promise
  // with its rejection mapped, one hop fewer on every call.
  if (signal === undefined || signal === null) return callPlain(invoke, makeTask)
  return callWithSignal(signal, invoke, makeTask)
}

function callPlain(invoke, makeTask) {
  let started
  try {
    started = invoke(undefined)
  } catch (err) {
    return Promise.reject(fromNative(err, makeTask))
  }
  // napi hands some synchronous argument errors back as a value instead of throwing them.
  if (started instanceof Error) return Promise.reject(fromNative(started, makeTask))
  return Promise.resolve(started).then(undefined, (err) => {
    throw fromNative(err, makeTask)
  })
}

async function callWithSignal(signal, invoke, makeTask) {
  let token
  let onAbort
  try {
    signal = checkSignal(signal)
    if (signal) {
      if (signal.aborted) throw abortError(signal)
      token = new CancelToken()
      onAbort = () => token.cancel()
      signal.addEventListener('abort', onAbort, { once: true })
    }
    const started = invoke(token)
    // napi hands some synchronous argument errors back as a value instead of throwing them.
    if (started instanceof Error) throw started
    return await started
  } catch (err) {
    const mapped = fromNative(err, makeTask)
    if (mapped instanceof AbortError && signal) throw abortError(signal)
    throw mapped
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort)
  }
}

/** Runs a synchronous native call, mapping its error. */
function callSync(invoke, makeTask) {
  try {
    const value = invoke()
    if (value instanceof Error) throw value
    return value
  } catch (err) {
    throw fromNative(err, makeTask)
  }
}

/** A promise that rejects with AbortError when `signal` fires (never settles otherwise). */
function whenAborted(signal) {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(abortError(signal))
    else signal.addEventListener('abort', () => reject(abortError(signal)), { once: true })
  })
}

module.exports = { call, callSync, checkSignal, whenAborted }
