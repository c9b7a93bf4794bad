// Error classes, codes and fields; validation before anything is sent.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import * as sdk from 'enigma-click'
import {
  Client, EnigmaError, AuthenticationError, PermissionDeniedError, InsufficientBalanceError, RateLimitError,
  SessionLimitError, SessionNotFoundError, TaskNotFoundError, TaskAlreadyRunningError, ValidationError,
  TaskFailedError, WaitTimeout, CostLimitExceeded, SessionEndedError, ConnectionError, ServerError,
  InsecureTransportError, OutcomeUnknownError, AbortError, Task,
} from 'enigma-click'
import { startSim, makeClient, stat, key } from './helpers.mjs'

let sim
before(async () => {
  sim = await startSim({ inlineWaitMs: 500, maxSessions: 2 })
})
after(() => sim.shutdown())

const CORE_CODES = {
  authentication: 'AuthenticationError', permission_denied: 'PermissionDeniedError',
  insufficient_balance: 'InsufficientBalanceError', rate_limited: 'RateLimitError', session_limit: 'SessionLimitError',
  session_not_found: 'SessionNotFoundError', task_not_found: 'TaskNotFoundError',
  task_already_running: 'TaskAlreadyRunningError', validation: 'ValidationError', task_failed: 'TaskFailedError',
  wait_timeout: 'WaitTimeout', cost_limit: 'CostLimitExceeded', session_ended: 'SessionEndedError',
  connection: 'ConnectionError', server: 'ServerError', decode: 'DecodeError',
  insecure_transport: 'InsecureTransportError', outcome_unknown: 'OutcomeUnknownError', cancelled: 'AbortError',
}

test('one exported subclass of EnigmaError per core code', () => {
  for (const [code, name] of Object.entries(CORE_CODES)) {
    const cls = sdk[name]
    assert.equal(typeof cls, 'function', name)
    assert.equal(sdk.errorClasses[code], cls, code)
    const err = new cls('x', { code })
    assert.ok(err instanceof EnigmaError && err instanceof Error, name)
    assert.equal(err.name, name)
    assert.equal(err.code, code)
  }
})

async function rejects(promise, cls, fields = {}) {
  const err = await promise.then(
    () => assert.fail(`expected ${cls.name}`),
    (e) => e,
  )
  assert.ok(err instanceof cls, `${err?.name}: ${err?.message}`)
  assert.ok(err instanceof EnigmaError)
  for (const [k, v] of Object.entries(fields)) assert.deepEqual(err[k], v, `${k} of ${err.message}`)
  return err
}

test('authentication, permission and balance errors carry status and server code', async () => {
  await rejects(makeClient(sim, { apiKey: 'enig_revoked0000000000000000000' }).startSession(), AuthenticationError, {
    code: 'authentication', status: 401, serverCode: 'INVALID_API_KEY',
  })
  await rejects(makeClient(sim, { apiKey: 'enig_expired0000000000000000000' }).startSession(), AuthenticationError, {
    serverCode: 'API_KEY_EXPIRED',
  })
  await rejects(makeClient(sim, { apiKey: 'enig_inactive000000000000000000' }).startSession(), PermissionDeniedError, {
    code: 'permission_denied', status: 403, serverCode: 'ACCOUNT_DEACTIVATED',
  })
  const broke = await rejects(makeClient(sim, { apiKey: `enig_broke${key().slice(5)}` }).startSession(), InsufficientBalanceError, {
    code: 'insufficient_balance', status: 402, serverCode: 'INSUFFICIENT_BALANCE',
  })
  assert.equal(broke.balance, 0)
  // No key at all: refused before sending.
  const saved = process.env.ENIGMA_API_KEY
  delete process.env.ENIGMA_API_KEY
  try {
    const before = stat(sim, 'requests.total')
    await rejects(new Client({ baseUrl: sim.url }).startSession(), AuthenticationError, { status: null })
    assert.equal(stat(sim, 'requests.total'), before)
  } finally {
    if (saved !== undefined) process.env.ENIGMA_API_KEY = saved
  }
})

test('rate limit: retryAfter in seconds, status 429, retryable', async () => {
  await sim.injectFault({ endpoint: 'POST /start/start-session', status: 429, retryAfter: 7, count: 1 })
  const err = await rejects(makeClient(sim, { maxRetries: 0 }).startSession(), RateLimitError, {
    code: 'rate_limited', status: 429, retryAfter: 7, serverCode: 'RATE_LIMIT_EXCEEDED', retryable: true,
  })
  assert.match(err.message, /rate limited/)
})

test('session limit, not found, task not found, task already running', async () => {
  const client = makeClient(sim)
  const a = await client.startSession()
  const b = await client.startSession()
  const limit = await rejects(client.startSession(), SessionLimitError, { code: 'session_limit', status: 429, serverCode: 'SESSION_LIMIT_REACHED' })
  assert.deepEqual(limit.details, { current: 2, limit: 2 })
  await b.terminate()
  await rejects(client.session('zzzzzzzzzzzz').pause(), SessionNotFoundError, { code: 'session_not_found', status: 404 })
  await rejects(client.task(a.id, 'zzzzzzzzzzzz').poll(), TaskNotFoundError, { code: 'task_not_found', status: 404 })
  await a.newTask({ taskDetails: 'First #sim duration=100' })
  await a.newTask({ taskDetails: 'Second' })
  await rejects(a.newTask({ taskDetails: 'Third' }), TaskAlreadyRunningError, { status: 409, serverCode: 'TASK_ALREADY_RUNNING' })
  await a.terminate()
})

test('task failed, wait timeout (holding the task), cost limit (holding usage), session ended', async () => {
  const client = makeClient(sim)
  const session = await client.startSession()
  const failing = await session.newTask({ taskDetails: 'Open the slow page #sim fail=NAVIGATION_TIMEOUT duration=4' })
  const failed = await rejects(failing.result({ timeoutMs: 10000 }), TaskFailedError, {
    code: 'task_failed', serverCode: 'NAVIGATION_TIMEOUT', taskId: failing.id, sessionId: session.id,
  })
  assert.equal(typeof failed.serverMessage, 'string')
  assert.equal(typeof failed.usage, 'object')

  const slow = await session.newTask({ taskDetails: 'Slow #sim duration=200' })
  const timeout = await rejects(slow.result({ timeoutMs: 50 }), WaitTimeout, { code: 'wait_timeout', taskId: slow.id })
  assert.ok(timeout.task instanceof Task)
  assert.equal(timeout.task, slow, "a wait's timeout hands back the very task that waited")
  assert.equal(timeout.task.id, slow.id)
  assert.ok(timeout.waitedMs >= 40)
  await session.stop()
  assert.equal((await timeout.task.result({ timeoutMs: 10000 })).outcome, 'stopped')

  const pricey = await session.newTask({ taskDetails: 'An expensive crawl #sim duration=100 cost=1.0' })
  const cost = await rejects(pricey.result({ timeoutMs: 10000, maxCost: 0.05 }), CostLimitExceeded, { code: 'cost_limit', limit: 0.05 })
  assert.ok(cost.usage.cost > 0.05)
  assert.equal(cost.task, pricey)

  await session.terminate()
  await rejects(session.pause(), SessionEndedError, { code: 'session_ended', sessionId: session.id })
})

test('connection, server, insecure transport and outcome-unknown errors', async () => {
  await rejects(new Client({ apiKey: key(), baseUrl: 'http://127.0.0.1:9', maxRetries: 0 }).health(), ConnectionError, {
    code: 'connection', retryable: true,
  })
  await sim.injectFault({ endpoint: 'GET /start/health', status: 500, count: 1 })
  await rejects(makeClient(sim, { maxRetries: 0 }).health(), ServerError, { code: 'server', status: 500, serverCode: 'INTERNAL_ERROR' })
  await rejects(new Client({ apiKey: key(), baseUrl: 'http://example.com' }).startSession(), InsecureTransportError, {
    code: 'insecure_transport',
  })
  await sim.injectFault({ endpoint: 'POST /start/start-session', action: 'drop', count: 1 })
  const client = makeClient(sim)
  await rejects(client.startSession(), OutcomeUnknownError, { code: 'outcome_unknown', operation: 'start-session' })
  await client.terminateOpenSessions()
})

test('invalid arguments reject with ValidationError before any request', async () => {
  const client = makeClient(sim)
  const session = await client.startSession()
  await new Promise((r) => setTimeout(r, 100)) // let the counters settle
  const before = stat(sim, 'requests.total') + stat(sim, 'socketMessages.total')
  const snapshot = JSON.stringify(sim.stats().requests)
  const cases = [
    () => client.startSession({ maxDuration: 0 }),
    () => client.startSession({ maxDuration: 300001 }),
    () => client.startSession({ maxDuration: -5 }),
    () => client.startSession({ maxDuration: 1.5 }),
    () => client.startSession({ maxDuration: '60000' }),
    () => client.startSession({ startingUrl: 'not a url' }),
    () => client.startSession({ avoidDomains: 'x.com' }),
    () => client.startSession('   '),
    () => client.runTask({}),
    () => client.runTask({ taskDetails: 'x', maxCost: -1 }),
    () => client.runTask({ taskDetails: 'x', timeoutMs: -1 }),
    () => session.newTask({ taskDetails: '' }),
    () => session.newTask({}),
    () => session.newTask(),
    () => session.newTask({ taskDetails: 42 }),
    () => session.newTask({ taskDetails: 'x', maxDuration: 300001 }),
    () => session.click(10, 100),
    () => session.click(2000, 400),
    () => session.click(-1, 400),
    () => session.click('a', 400),
    () => session.doubleClick(10, 900),
    () => session.typeText(''),
    () => session.pressKey(''),
    () => session.answerGuardrail(' '),
    () => session.task('').poll(),
    () => client.task('bad id!', 'x').poll(),
    () => session.pause({ signal: 'nope' }),
    () => client.startSession({ taskDetails: 'x', signal: {} }),
  ]
  for (const [i, make] of cases.entries()) {
    const err = await Promise.resolve().then(make).then(() => null, (e) => e)
    assert.ok(err instanceof ValidationError, `case ${i}: ${err?.name} ${err?.message}`)
    assert.equal(err.code, 'validation')
  }
  assert.throws(() => new Client({ apiKey: key(), requestTimeoutMs: -1 }), ValidationError)
  assert.throws(() => new Client({ apiKey: key(), baseUrl: 'ftp://x' }), ValidationError)
  const err = await client.startSession({ maxDuration: 0 }).catch((e) => e)
  assert.equal(err.field, 'maxDuration')
  assert.match(err.message, /maxDuration/)
  assert.equal(stat(sim, 'requests.total') + stat(sim, 'socketMessages.total'), before, `nothing was sent: ${snapshot} ${JSON.stringify(sim.stats().requests)}`)
  await session.terminate()
})

test('a key that cannot be an HTTP header is refused by position when the client is made', () => {
  for (const [apiKey, index] of [['enig_ab\ncd', 7], ['enig_\rSECRET', 5], ['enig_SECRET\0', 11]]) {
    const err = (() => {
      try {
        new Client({ apiKey, baseUrl: 'http://127.0.0.1:9' })
      } catch (e) {
        return e
      }
      return null
    })()
    assert.ok(err instanceof ValidationError, `${err?.name}: ${err?.message}`)
    assert.equal(err.field, 'apiKey')
    assert.equal(err.status ?? null, null, 'a local refusal has no status')
    assert.match(err.message, new RegExp(`index ${index}`))
    assert.doesNotMatch(`${err.message} ${JSON.stringify(err)} ${err.stack}`, /SECRET/)
  }
})

test("the service's 400 is a ValidationError with a status and no field; a 502 after a create is outcome unknown", async () => {
  const client = makeClient(sim, { maxRetries: 0 })
  const message = "Invalid parameter 'maxDuration': must be between 1000 and 300000"
  await sim.injectFault({ endpoint: 'POST /start/start-session', status: 400, code: 'INVALID_PARAMETER', message })
  const remote = await rejects(client.startSession(), ValidationError, {
    code: 'validation', status: 400, serverCode: 'INVALID_PARAMETER', serverMessage: message,
  })
  assert.equal(remote.field ?? null, null, 'a service refusal names no field')
  const local = await rejects(client.startSession({ maxDuration: 0 }), ValidationError, { field: 'maxDuration' })
  assert.equal(local.status ?? null, null, 'a local refusal has no status')

  const sessions = stat(sim, 'sessions.total')
  const sent = stat(sim, 'requests.byEndpoint.POST /start/start-session')
  await sim.injectFault({ endpoint: 'POST /start/start-session', status: 502, afterProcessing: true })
  await rejects(makeClient(sim).startSession(), OutcomeUnknownError, { code: 'outcome_unknown', operation: 'start-session' })
  assert.equal(stat(sim, 'sessions.total'), sessions + 1, 'the session exists')
  assert.equal(stat(sim, 'requests.byEndpoint.POST /start/start-session'), sent + 1, 'never resent')
  await sim.clearFaults()
})

test('AbortError is an EnigmaError named AbortError with code cancelled', async () => {
  const err = await makeClient(sim).health({ signal: AbortSignal.abort('why') }).catch((e) => e)
  assert.ok(err instanceof AbortError && err instanceof EnigmaError)
  assert.equal(err.name, 'AbortError')
  assert.equal(err.code, 'cancelled')
  assert.equal(err.cause, 'why')
})

test('option and setting refusals name the field as Node spells it, before any request', async () => {
  const refused = (make) => {
    try {
      make()
    } catch (err) {
      return err
    }
    assert.fail('expected a ValidationError')
  }
  // Refused while read (negative), and when the client is built (zero): both name the Ms field.
  for (const ms of [-1, 0]) {
    const err = refused(() => new Client({ apiKey: key(), requestTimeoutMs: ms }))
    assert.ok(err instanceof ValidationError)
    assert.equal(err.field, 'requestTimeoutMs')
  }
  assert.ok(refused(() => new Client({ apiKey: key(), request_timeout: 1 })) instanceof ValidationError)
  const client = makeClient(sim)
  const before = stat(sim, 'requests.total')
  const unknown = await client.startSession({ maxDurationMs: 1000 }).catch((e) => e)
  assert.ok(unknown instanceof ValidationError)
  assert.equal(unknown.field, 'maxDurationMs')
  const late = await client.runTask({ taskDetails: 'x', timeoutMs: '5' }).catch((e) => e)
  assert.equal(late.field, 'timeoutMs')
  assert.equal(stat(sim, 'requests.total'), before)
})

test('a wait timeout from runTask carries its task, re-attached by ids; other errors have no task field', async () => {
  const client = makeClient(sim)
  const err = await client.runTask({ taskDetails: 'Slow #sim duration=200', timeoutMs: 50 }).catch((e) => e)
  assert.ok(err instanceof WaitTimeout, `${err?.name}: ${err?.message}`)
  assert.ok(err.task instanceof Task, 'the simulator names the task at once')
  assert.equal(err.task.id, err.taskId)
  await client.session(err.sessionId).terminate()
  const other = await client.startSession({ maxDuration: 0 }).catch((e) => e)
  assert.equal('task' in other, false)
})

test('a key no option has is named as written, with the nearest known one suggested, before any request', async () => {
  const client = makeClient(sim)
  const before = stat(sim, 'requests.total')
  for (const [key, near] of [['max_duration', 'maxDuration'], ['max_cost', 'maxCost'], ['starting_url', 'startingUrl']]) {
    const err = await client.runTask({ taskDetails: 'x', [key]: 5 }).catch((e) => e)
    assert.ok(err instanceof ValidationError, `${err?.name}: ${err?.message}`)
    assert.equal(err.field, key, 'the key as written, not renamed')
    assert.match(err.message, new RegExp(`^invalid ${key}: is not an option here; did you mean \`${near}\`\?`))
  }
  const far = await client.startSession({ colour: 'red' }).catch((e) => e)
  assert.equal(far.field, 'colour')
  assert.doesNotMatch(far.message, /did you mean/)
  const batch = await client.runMany([{ taskDetails: 'x', maxCots: 1 }])[Symbol.asyncIterator]().next().catch((e) => e)
  assert.equal(batch.field, 'tasks[0]')
  assert.match(batch.message, /unknown option 'maxCots'; did you mean `maxCost`\?/)
  assert.equal(stat(sim, 'requests.total'), before, 'nothing was sent')
})

test('an id the core refuses is named in Node spelling; an environment variable as it is', () => {
  const client = makeClient(sim)
  const refused = (make) => {
    try {
      make()
    } catch (err) {
      return err
    }
    assert.fail('expected a ValidationError')
  }
  assert.equal(refused(() => client.session('bad id!')).field, 'sessionId')
  assert.equal(refused(() => client.task('abc', 'bad id!')).field, 'taskId')
  assert.equal(refused(() => client.session('abc').task('bad id!')).field, 'taskId')
  process.env.ENIGMA_MAX_RETRIES = 'many'
  try {
    const err = refused(() => new Client({ apiKey: key(), baseUrl: sim.url }))
    assert.equal(err.field, 'ENIGMA_MAX_RETRIES')
  } finally {
    delete process.env.ENIGMA_MAX_RETRIES
  }
})

test('without a key, the error says how to get going, and its Node line works', async () => {
  const err = await new Client({ apiKey: '', baseUrl: sim.url }).runTask({ taskDetails: 'x' }).catch((e) => e)
  assert.ok(err instanceof AuthenticationError, `${err?.name}: ${err?.message}`)
  assert.match(err.message, /^no API key: set ENIGMA_API_KEY .*offline on the built-in simulator/)
  assert.doesNotMatch(err.message, /enigma\.testing|enigma_sim/, "Node's line, not another language's")
  const lines = [...err.message.matchAll(/`([^`]+)`/g)].map((m) => m[1])
  assert.deepEqual(lines, ['const sim = await startSimulator()', "new Client({ apiKey: 'enig_test', baseUrl: sim.url })"])
  // Run as shown: `startSimulator` from 'enigma-click/testing', then the client.
  const { startSimulator } = await import('enigma-click/testing')
  const run = new Function('startSimulator', 'Client', `return (async () => { ${lines[0]}; const client = ${lines[1]}; ` +
    "try { return (await client.runTask({ taskDetails: 'Find the opening hours #sim duration=1' })).outcome } finally { await sim.shutdown() } })()")
  assert.equal(await run(startSimulator, Client), 'completed')
})
