'use strict'
// enigma-click: the Node.js SDK of Enigma. CommonJS entry; ../index.mjs re-exports it for ESM.
const errors = require('./errors')
const { Client } = require('./client')
const { Session } = require('./session')
const { Task } = require('./task')
const { setLogger } = require('./logger')
const { version } = require('../package.json')

module.exports = {
  Client,
  BatchRun: require('./batch').BatchRun,
  Session,
  Task,
  version,
  setLogger,
  EnigmaError: errors.EnigmaError,
  AuthenticationError: errors.AuthenticationError,
  PermissionDeniedError: errors.PermissionDeniedError,
  InsufficientBalanceError: errors.InsufficientBalanceError,
  RateLimitError: errors.RateLimitError,
  SessionLimitError: errors.SessionLimitError,
  SessionNotFoundError: errors.SessionNotFoundError,
  TaskNotFoundError: errors.TaskNotFoundError,
  TaskAlreadyRunningError: errors.TaskAlreadyRunningError,
  ValidationError: errors.ValidationError,
  TaskFailedError: errors.TaskFailedError,
  WaitTimeout: errors.WaitTimeout,
  CostLimitExceeded: errors.CostLimitExceeded,
  SessionEndedError: errors.SessionEndedError,
  ConnectionError: errors.ConnectionError,
  ServerError: errors.ServerError,
  DecodeError: errors.DecodeError,
  InsecureTransportError: errors.InsecureTransportError,
  OutcomeUnknownError: errors.OutcomeUnknownError,
  AbortError: errors.AbortError,
  /** Error class per core code (`errorClasses.rate_limited === RateLimitError`). */
  errorClasses: errors.errorClasses,
}
