'use strict'
// setLogger: the SDK's log records (requests, retries, socket connects, classifier decisions,
// all from the Rust core) handed to a logger of the app's. Process-wide, like the core's
// logging; `ENIGMA_LOG=debug` prints the same records to stderr without any of this.

const native = require('./native')
const { ValidationError } = require('./errors')

const LEVELS = ['error', 'warn', 'info', 'debug', 'trace']

/**
 * Sends the SDK's records at `level` and above to `logger`: an object with console-like
 * methods (`logger.debug(message, record)`, ... a missing `trace` falls back to `debug`, then
 * `log`), or a function called with each record. `null` stops it.
 */
function setLogger(logger, { level = 'debug' } = {}) {
  if (!LEVELS.includes(level)) {
    throw new ValidationError(`level must be one of ${LEVELS.join(', ')}, got ${JSON.stringify(level)}`, {
      field: 'level',
    })
  }
  if (logger == null) {
    native.setLogSink(level, null)
    return
  }
  const deliver = typeof logger === 'function' ? logger : methodOf(logger)
  native.setLogSink(level, (record) => {
    try {
      deliver(`[${record.target}] ${record.message}`, record)
    } catch {
      // A throwing logger must not take the process down from a native callback.
    }
  })
}

function methodOf(logger) {
  if (typeof logger !== 'object') throw new ValidationError('logger must be an object with console-like methods, a function, or null', { field: 'logger' })
  return (line, record) => {
    const method = [record.level, record.level === 'trace' ? 'debug' : null, 'log'].find(
      (name) => name && typeof logger[name] === 'function',
    )
    if (method) logger[method](line, record)
  }
}

module.exports = { setLogger, LOG_LEVELS: LEVELS }
