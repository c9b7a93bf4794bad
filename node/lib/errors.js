'use strict'
// The error classes. A native error carries the core's error payload (`enigma::ErrorPayload`,
// keys in camelCase) as data in its PAYLOAD property, set by the binding
// (crates/enigma-node/src/errors.rs); `fromNative` makes the subclass for its code with every
// field of it. Classes map codes, never message texts.

/** The property of a native error that holds the core's payload. */
const PAYLOAD = 'enigmaPayload'

/** Base class of every error of the SDK. */
class EnigmaError extends Error {
  constructor(message, fields = {}, options) {
    super(message, options)
    this.name = new.target.name
    /** The core's stable code (`rate_limited`, `task_failed`, ...). */
    this.code = fields.code ?? 'unknown'
    /** HTTP status, for errors the service answered. */
    this.status = fields.status ?? null
    /** Seconds the service asked to wait before retrying (`Retry-After`). */
    this.retryAfter = fields.retryAfter ?? null
    /** The service's own code (`SESSION_NOT_FOUND`, `NAVIGATION_TIMEOUT`, ...). */
    this.serverCode = fields.serverCode ?? null
    /** The service's own text. */
    this.serverMessage = fields.serverMessage ?? null
    /** Whether the same call may succeed later (the SDK already retried what was safe). */
    this.retryable = fields.retryable ?? false
    this.sessionId = fields.sessionId ?? null
    this.taskId = fields.taskId ?? null
    // Every other field as given: the core's payload reaches the error whole, so a field the
    // core adds needs no change here (`usage`, `balance`, `details`, `rateLimit`, `body`,
    // `field`, `reason`, `waited`, `limit`, `operation`, `neverSent`, `url`, `task`...).
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined && !BASE_FIELDS.has(key)) this[key] = value
    }
  }
}
const BASE_FIELDS = new Set(['code', 'message', 'status', 'retryAfter', 'serverCode', 'serverMessage', 'retryable', 'sessionId', 'taskId'])

// One class per core code, named and listed by the generated table (scripts/gen_types.py, from
// the core's ErrorCode): a named class each, so stack traces and `instanceof` both read naturally.
const classes = {}
const classesByName = {}
for (const [name, code] of require('./generated/error_classes')) {
  const cls = { [name]: class extends EnigmaError {} }[name]
  Object.defineProperty(cls, 'code', { value: code })
  classes[code] = cls
  classesByName[name] = cls
}
const ValidationError = classes.validation
const WaitTimeout = classes.wait_timeout
const CostLimitExceeded = classes.cost_limit
/** An `AbortSignal` fired: the call was cancelled and its native work dropped. */
const AbortError = classes.cancelled

// napi's own argument-conversion failures (a string where a number belongs...): bad input.
const NAPI_ARGUMENT_STATUSES = new Set([
  'InvalidArg', 'ObjectExpected', 'StringExpected', 'NameExpected', 'FunctionExpected', 'NumberExpected',
  'BooleanExpected', 'ArrayExpected', 'BigintExpected', 'DateExpected', 'ArrayBufferExpected',
])

// The errors that leave their task running: they hand it back as `err.task`, always set (a
// `Task`, or `null` when there is none to hand back, see `fromNative`).
const TASK_CARRIERS = new Set([WaitTimeout.code, CostLimitExceeded.code])

/**
 * The EnigmaError for a native rejection. `makeTask(sessionId, taskId)` gives the task handle
 * that wait timeouts and cost-limit stops carry: `task.result()` hands back the waiting task
 * itself, named or not; `runTask` re-attaches by ids, so its error carries `null` when the
 * service had not named the task yet (its create's answer had not come; `sessionId` is set).
 */
function fromNative(err, makeTask) {
  if (err instanceof EnigmaError) return err
  const payload = err !== null && typeof err === 'object' ? err[PAYLOAD] : undefined
  if (payload !== null && typeof payload === 'object') {
    const fields = { ...payload }
    // The core gives durations in seconds; Node errors also say `waitedMs`, as they always did.
    if (typeof fields.waited === 'number') fields.waitedMs = Math.floor(fields.waited * 1000)
    if (TASK_CARRIERS.has(fields.code)) fields.task = (makeTask && makeTask(fields.sessionId, fields.taskId)) || null
    const cls = classes[fields.code] ?? EnigmaError
    const message = cls === AbortError ? 'The operation was aborted' : fields.message
    return new cls(message, fields)
  }
  const text = err && typeof err.message === 'string' ? err.message : ''
  if (err && NAPI_ARGUMENT_STATUSES.has(err.code)) {
    return new ValidationError(`invalid argument: ${text}`, { code: ValidationError.code }, { cause: err })
  }
  return err
}

/** The AbortError for a signal that fired. */
function abortError(signal) {
  return new AbortError('The operation was aborted', { code: AbortError.code }, { cause: signal?.reason })
}

module.exports = {
  PAYLOAD,
  fromNative,
  abortError,
  EnigmaError,
  ...classesByName,
  /** Error class per core code (`errorClasses.rate_limited === RateLimitError`). */
  errorClasses: classes,
}
