// The Node package checked against the core's tables: every error code of the core
// (native `errorCodes()`, from `enigma::ErrorCode::ALL`) has its class, exported from the
// CommonJS and ESM entries and declared in index.d.ts; every live event type (native
// `eventTypes()`, from `enigma::EventKind::ALL`) is a member of index.d.ts's `EnigmaEvent`
// union; every session command without arguments (`sessionCommands()`, from
// `enigma::SessionCommand::ALL`) is a `Session` method. A code, event or command added to the core
// without its Node spelling fails here.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import * as esm from 'enigma-click'
import { declarations } from './declarations.mjs'

const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)
const native = require('../lib/native')
const cjs = require('enigma-click')
const dts = declarations(pkg, 'index.d.ts')

test('every core error code has its class, exported and declared', () => {
  const codes = native.errorCodes()
  assert.ok(codes.length > 0, 'the binding exports the core list')
  const declaredCodes = new Set([...dts.match(/export type ErrorCode =([^;]*?)\n\n/s)[1].matchAll(/'(\w+)'/g)].map((m) => m[1]))
  for (const code of codes) {
    const cls = cjs.errorClasses[code]
    assert.ok(cls, `no error class for the core's code ${code}`)
    assert.equal(cls.code, code)
    assert.ok(cls.prototype instanceof cjs.EnigmaError)
    assert.equal(cjs[cls.name], cls, `enigma-click (CommonJS) does not export ${cls.name}`)
    assert.equal(esm[cls.name], cls, `enigma-click (ESM) does not export ${cls.name}`)
    assert.match(dts, new RegExp(`^export declare class ${cls.name} extends EnigmaError`, 'm'), `index.d.ts lacks ${cls.name}`)
    assert.ok(declaredCodes.has(code), `index.d.ts's ErrorCode lacks '${code}'`)
  }
  assert.deepEqual(Object.keys(cjs.errorClasses).sort(), [...codes].sort(), 'no class for a code the core lacks')
  assert.deepEqual([...declaredCodes].sort(), [...codes].sort())
})

test('every core event type is a member of the EnigmaEvent union', () => {
  const types = native.eventTypes()
  assert.ok(types.length > 0, 'the binding exports the core list')
  const union = dts.match(/export type EnigmaEvent =([^]*?)\n\n/)[1]
  const members = [...union.matchAll(/\|\s*(\w+)/g)].map((m) => m[1])
  const declared = members.map((name) => {
    const body = dts.match(new RegExp(`export interface ${name} [^{]*\\{([^}]*)\\}`))
    assert.ok(body, `index.d.ts lacks the interface ${name}`)
    return body[1].match(/type: '(\w+)'/)[1]
  })
  assert.deepEqual([...declared].sort(), [...types].sort())
})

test('every core session command is a Session method, declared in index.d.ts', () => {
  const commands = native.sessionCommands()
  assert.ok(commands.length > 0, 'the binding exports the core list')
  const declared = dts.match(/export declare class Session\b[^{]*\{([^]*?)\n\}/)[1]
  for (const name of commands) {
    assert.equal(typeof cjs.Session.prototype[name], 'function', `Session has no ${name}()`)
    assert.match(declared, new RegExp(`^\\s+${name}\\(`, 'm'), `index.d.ts's Session lacks ${name}()`)
  }
})

test('a session command unknown to the core is refused before anything is sent', async () => {
  const client = new native.NativeClient({ apiKey: 'enig_x', baseUrl: 'http://127.0.0.1:9' })
  const session = client.session('s'.repeat(12))
  assert.throws(() => session.command('take_over'), (err) => err.enigmaPayload.code === 'validation' && /takeOver/.test(err.message))
})

test('a native error carries the core payload as data, not JSON in its message', () => {
  let thrown
  try {
    new native.NativeClient({ apiKey: 'enig_x', baseUrl: 'ftp://example.com' })
  } catch (err) {
    thrown = err
  }
  assert.ok(thrown instanceof Error)
  assert.equal(thrown.enigmaPayload.code, 'validation')
  assert.equal(thrown.message, thrown.enigmaPayload.message)
  assert.doesNotMatch(thrown.message, /[{}]/)
  // The public class, with the payload's fields.
  assert.throws(() => new cjs.Client({ apiKey: 'enig_x', baseUrl: 'ftp://example.com' }), (err) => {
    return err instanceof cjs.ValidationError && err.code === 'validation' && err.retryable === false
  })
})
