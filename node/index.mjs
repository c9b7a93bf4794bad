// ESM entry of enigma-click: the same objects as the CommonJS entry (lib/index.js).
import { createRequire } from 'node:module'

const cjs = createRequire(import.meta.url)('./lib/index.js')

export const {
  Client,
  BatchRun,
  Session,
  Task,
  version,
  setLogger,
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
  errorClasses,
} = cjs
export default cjs
