// The flight recorder and replay as a test, from Node: a run on the simulator is recorded
// (`record`), the simulator replays it (`startSimulator({ replay })`), the same program gets the
// same results, and a changed program is told the first difference. The key is never recorded.
import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { Client } from 'enigma-click'
import { startSimulator } from 'enigma-click/testing'
import { key, makeClient, startSim } from './helpers.mjs'

const EXPECTED = 'expected POST /start/send-message state:terminate, got POST /start/send-message newTask'

function summary(result) {
  // A guardrail's usage comes with a poll, not with its event: which a program hears first is a
  // race of a fraction of a millisecond, in a run as in its replay.
  const cost = result.outcome === 'guardrail' ? null : result.usage.cost
  return [result.outcome, result.message, result.question, result.sessionId, result.taskId, cost]
}

/** Several tasks, a guardrail answered, a pause and resume, a stop by the cost ceiling. */
async function program(client, oneMore = false) {
  const seen = []
  const session = await client.startSession()
  const first = await session.newTask({ taskDetails: 'Find the opening hours of the Louvre' })
  seen.push(summary(await first.result()))
  const asking = await session.newTask({ taskDetails: 'Buy a book #sim guardrail="Which edition?"' })
  const asked = await asking.result()
  assert.equal(asked.outcome, 'guardrail')
  seen.push(summary(asked))
  await session.answerGuardrail('The paperback')
  seen.push(summary(await asking.result()))
  const paused = await session.newTask({ taskDetails: 'Compare three laptops #sim duration=20' })
  await session.pause()
  await session.resume()
  seen.push(summary(await paused.result()))
  const expensive = await session.newTask({ taskDetails: 'Expensive search #sim duration=100 cost=1.0' })
  const stopped = await expensive.result({ maxCost: 0.05 }).then(() => null, (err) => err)
  assert.equal(stopped?.code, 'cost_limit')
  seen.push(['cost_limit', stopped.taskId])
  if (oneMore) {
    const extra = await session.newTask({ taskDetails: 'One more thing' })
    seen.push(summary(await extra.result()))
  }
  await session.terminate()
  return seen
}

async function record() {
  // Recorded at the service's own timing (the 50 s inline wait), on a fast clock.
  const sim = await startSim()
  const folder = mkdtempSync(join(tmpdir(), 'enigma-node-recording-'))
  const client = makeClient(sim, { record: folder })
  const seen = await program(client)
  await client.close() // writes the recording out
  await sim.shutdown()
  return { folder, seen }
}

test('a replayed run gets the same results; one task more gets the first difference', async () => {
  const { folder, seen } = await record()
  assert.equal(readdirSync(folder).filter((f) => f.endsWith('.jsonl')).length, 1)
  assert.equal(seen.length, 5)

  const replay = await startSimulator({ replay: folder })
  assert.deepEqual(await program(makeClient(replay)), seen)
  const stats = replay.replayStats()
  assert.equal(stats.firstDifference, null, JSON.stringify(stats))
  assert.ok(stats.complete, JSON.stringify(stats))
  await replay.shutdown()

  const changed = await startSimulator({ replay: folder })
  const client = makeClient(changed)
  const err = await program(client, true).then(() => null, (e) => e)
  assert.equal(err?.serverCode, 'REPLAY_MISMATCH', String(err))
  assert.equal(err.serverMessage, EXPECTED)
  assert.equal(changed.replayStats().firstDifference, EXPECTED)
  // The program's cleanup still ends the session it opened.
  assert.deepEqual(await client.terminateOpenSessions(), [])
  assert.deepEqual(client.openSessionIds(), [])
  await changed.shutdown()
})

test('the key is never recorded', async () => {
  const sim = await startSim()
  const folder = mkdtempSync(join(tmpdir(), 'enigma-node-key-'))
  const secret = key()
  const client = new Client({ apiKey: secret, baseUrl: sim.url, pollIntervalMs: 10, record: folder })
  assert.equal(client.config.record, folder)
  const session = await client.startSession({ startingUrl: `https://example.com/?apiKey=${secret}` })
  const task = await session.newTask({ taskDetails: `Log in with ${secret} #sim guardrail="Is ${secret} right?"` })
  assert.equal((await task.result()).outcome, 'guardrail')
  await session.answerGuardrail(`yes, ${secret}`, { resume: false })
  await session.terminate()
  await client.close()
  const text = readdirSync(folder).map((f) => readFileSync(join(folder, f), 'utf8')).join('\n')
  assert.ok(text.length > 0)
  assert.ok(!text.includes(secret), 'the key is in the recording')
  assert.ok(!text.toLowerCase().includes('authorization'))
  assert.ok(text.includes('[redacted]'))
  await sim.shutdown()
})
