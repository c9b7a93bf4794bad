// close() does what Python's close()/aclose() do: the client's later calls fail with a
// ValidationError naming `client`; handles made before keep working; open sessions are left
// open (Node's documented setting) and terminateOpenSessions() still ends them.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { ValidationError } from 'enigma-click'
import { startSim, makeClient, stat } from './helpers.mjs'

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
