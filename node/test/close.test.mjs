// close() does what Python's close()/aclose() do: the client's later calls fail with a
// ValidationError naming `client`; handles made before keep working; open sessions are left
// open unless the client was made with `terminateOnExit` (as Python's `terminate_on_exit`),
// and terminateOpenSessions() still ends them.
import { test, before, after } from 'node:test'
import { execFile } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import assert from 'node:assert/strict'
import { ValidationError } from 'enigma-click'
import { startSim, makeClient, stat, key } from './helpers.mjs'

let sim
before(async () => {
  sim = await startSim()
})
after(() => sim.shutdown())

test('after close(), every call of the client fails with a ValidationError naming client', async () => {
  const client = makeClient(sim)
  const session = await client.startSession()
  assert.equal(client.closed, false)
  client.close()
  assert.equal(client.closed, true)
  const refused = (err) => err instanceof ValidationError && err.field === 'client' && /closed/.test(err.message)
  await assert.rejects(client.health(), refused)
  await assert.rejects(client.startSession(), refused)
  await assert.rejects(client.runTask('x'), refused)
  assert.throws(() => client.session(session.id), refused)
  // The session is left open, and its handle still works.
  assert.deepEqual(client.openSessionIds(), [session.id])
  await session.pause()
  assert.deepEqual(await client.terminateOpenSessions(), [])
  assert.equal(stat(sim, 'sessions.open'), 0)
  client.close() // idempotent
})

test('close() of a client made with terminateOnExit terminates its open sessions first', async () => {
  const client = makeClient(sim, { terminateOnExit: true })
  assert.equal(client.terminateOnExit, true)
  const open = stat(sim, 'sessions.open')
  await client.startSession()
  await client.startSession()
  assert.equal(stat(sim, 'sessions.open'), open + 2)
  const closing = client.close()
  assert.equal(client.closed, true, 'closed at once')
  await closing
  assert.equal(stat(sim, 'sessions.open'), open)
  assert.deepEqual(client.openSessionIds(), [])
  await client.close() // idempotent
  assert.equal(makeClient(sim).terminateOnExit, false, 'off by default')
})

// A script that opens sessions and never ends them: with terminateOnExit the process's natural
// end terminates them; without it they stay open (the default, as in Python).
const LEAVES_ONE_OPEN = `
const client = new Client({ apiKey: process.env.KEY, baseUrl: process.env.URL, terminateOnExit: process.env.TERMINATE === '1' })
const session = await client.startSession()
console.log(session.id)
`

async function runScript(terminate) {
  const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
  const env = { ...process.env, KEY: key(), URL: sim.url, TERMINATE: terminate ? '1' : '0' }
  const script = `import { Client } from 'enigma-click'\n${LEAVES_ONE_OPEN}`
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ['--input-type=module', '-e', script], { cwd: pkg, env, timeout: 30_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout.trim()),
    ),
  )
}

test('a script ending by itself terminates the sessions of a terminateOnExit client, and only those', async () => {
  const open = stat(sim, 'sessions.open')
  const kept = await runScript(false)
  assert.equal(stat(sim, 'sessions.open'), open + 1, `${kept} stays open by default`)
  const ended = await runScript(true)
  assert.match(ended, /^[a-z0-9]{12}$/)
  assert.equal(stat(sim, 'sessions.open'), open + 1, `${ended} was terminated at exit`)
  await makeClient(sim).session(kept).terminate()
})
