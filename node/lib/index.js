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
  // One class per core error code (lib/generated/error_classes.js), by its name.
  ...Object.fromEntries(Object.values(errors.errorClasses).map((cls) => [cls.name, cls])),
  /** Error class per core code (`errorClasses.rate_limited === RateLimitError`). */
  errorClasses: errors.errorClasses,
}
