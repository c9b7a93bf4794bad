'use strict'
// The error classes. The native layer sends every core error as JSON (after MARKER) in the
// rejection's message; `fromNative` turns it back into the subclass for its code. Classes map
// codes, never message texts.

const MARKER = '@@enigma-error@@'

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
    for (const key of EXTRA_FIELDS) if (fields[key] !== undefined) this[key] = fields[key]
  }
}
const EXTRA_FIELDS = [
  'usage', 'balance', 'details', 'rateLimit', 'body', 'field', 'waitedMs', 'limit', 'operation', 'neverSent', 'url', 'task',
]

const classes = {}
function define(name, code) {
  // A named class per code, so stack traces and `instanceof` both read naturally.
  const cls = { [name]: class extends EnigmaError {} }[name]
  Object.defineProperty(cls, 'code', { value: code })
  classes[code] = cls
  return cls
}

const AuthenticationError = define('AuthenticationError', 'authentication')
const PermissionDeniedError = define('PermissionDeniedError', 'permission_denied')
const InsufficientBalanceError = define('InsufficientBalanceError', 'insufficient_balance')
const RateLimitError = define('RateLimitError', 'rate_limited')
const SessionLimitError = define('SessionLimitError', 'session_limit')
const SessionNotFoundError = define('SessionNotFoundError', 'session_not_found')
const TaskNotFoundError = define('TaskNotFoundError', 'task_not_found')
const TaskAlreadyRunningError = define('TaskAlreadyRunningError', 'task_already_running')
const ValidationError = define('ValidationError', 'validation')
const TaskFailedError = define('TaskFailedError', 'task_failed')
const WaitTimeout = define('WaitTimeout', 'wait_timeout')
const CostLimitExceeded = define('CostLimitExceeded', 'cost_limit')
const SessionEndedError = define('SessionEndedError', 'session_ended')
const ConnectionError = define('ConnectionError', 'connection')
const ServerError = define('ServerError', 'server')
const DecodeError = define('DecodeError', 'decode')
const InsecureTransportError = define('InsecureTransportError', 'insecure_transport')
const OutcomeUnknownError = define('OutcomeUnknownError', 'outcome_unknown')
/** An `AbortSignal` fired: the call was cancelled and its native work dropped. */
const AbortError = define('AbortError', 'cancelled')

// napi's own argument-conversion failures (a string where a number belongs...): bad input.
const NAPI_ARGUMENT_STATUSES = new Set([
  'InvalidArg', 'ObjectExpected', 'StringExpected', 'NameExpected', 'FunctionExpected', 'NumberExpected',
  'BooleanExpected', 'ArrayExpected', 'BigintExpected', 'DateExpected', 'ArrayBufferExpected',
])

/**
 * The EnigmaError for a native rejection. `makeTask(sessionId, taskId)` builds the task handle
 * that wait timeouts and cost-limit stops carry.
 */
function fromNative(err, makeTask) {
  if (err instanceof EnigmaError) return err
  const text = err && typeof err.message === 'string' ? err.message : ''
  const at = text.indexOf(MARKER)
  if (at >= 0) {
    let fields
    try {
      fields = JSON.parse(text.slice(at + MARKER.length))
    } catch {
      return err
    }
    const cls = classes[fields.code] ?? EnigmaError
    if ((fields.code === 'wait_timeout' || fields.code === 'cost_limit') && makeTask && fields.taskId) {
      fields.task = makeTask(fields.sessionId, fields.taskId)
    }
    const message = fields.code === 'cancelled' ? 'The operation was aborted' : fields.message
    return new cls(message, fields)
  }
  if (err && NAPI_ARGUMENT_STATUSES.has(err.code)) {
    return new ValidationError(`invalid argument: ${text}`, { code: 'validation' }, { cause: err })
  }
  return err
}

/** The AbortError for a signal that fired. */
function abortError(signal) {
  return new AbortError('The operation was aborted', { code: 'cancelled' }, { cause: signal?.reason })
}

module.exports = {
  MARKER,
  fromNative,
  abortError,
  EnigmaError,
  AuthenticationError,
  PermissionDeniedError,
  InsufficientBalanceError,
  RateLimitError,
  SessionLimitError,
  SessionNotFoundError,
  TaskNotFoundError,
  TaskAlreadyRunningError,
  ValidationError,
  TaskFailedError,
  WaitTimeout,
  CostLimitExceeded,
  SessionEndedError,
  ConnectionError,
  ServerError,
  DecodeError,
  InsecureTransportError,
  OutcomeUnknownError,
  AbortError,
  errorClasses: classes,
}
