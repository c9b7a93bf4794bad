// Many live sessions in one Node process (issue 23), at a size that fits CI: every result arrives
// through the addon, every stream accounts for each event of its task (read, or counted as missed
// by a `lagged`), and no session is left open. Half the sessions use a tiny event buffer, so the
// `lagged` accounting is exercised too. The memory figures at 10,000 sessions are a benchmark
// (benchmarks/many_sessions.mjs), not a test.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startSim, makeClient, stat } from './helpers.mjs'

const SESSIONS = 200
const STEPS = 4
// Three events a step (thought, action, update), then the completion: in both simulator modes.
const TASK_EVENTS = 3 * STEPS + 1
const LINK = new Set(['connected', 'disconnected', 'reconnecting'])

let sim
before(async () => {
  sim = await startSim({ maxSessions: SESSIONS * 2, timeScale: 0.05 })
})
after(() => sim.shutdown())

/** [events read, events reported missed] of one session's task, up to its completion. */
async function oneSession(client, i) {
  return client.withSession({}, async (session) => {
    const events = session.events()
    assert.equal((await events.next()).value?.type, 'connected', `session ${i}`)
    const task = await session.newTask(`Scale task ${i} #sim steps=${STEPS}`)
    const result = await task.result()
    assert.equal(result.outcome, 'completed', `session ${i}`)
    let read = 0
    let lagged = 0
    for await (const event of events) {
      if (event.type === 'lagged') lagged += event.missed
      else if (!LINK.has(event.type)) {
        read += 1
        if (event.type === 'taskCompleted') break
      }
    }
    return [read, lagged]
  })
}

test('two hundred live sessions lose no result and no event, and leave none open', async () => {
  const roomy = makeClient(sim)
  // A buffer of 4 holds less than one task's events: read after the result, it must lag.
  const tiny = makeClient(sim, { eventBuffer: 4 })
  try {
    const counts = await Promise.all(Array.from({ length: SESSIONS }, (_, i) => oneSession(i % 2 ? tiny : roomy, i)))
    counts.forEach(([read, lagged], i) => assert.equal(read + lagged, TASK_EVENTS, `session ${i}: ${read} + ${lagged}`))
    assert.ok(counts.filter((_, i) => i % 2 === 0).every(([, lagged]) => lagged === 0), 'the default buffer holds a task')
    const tinyLagged = counts.filter(([, lagged], i) => i % 2 === 1 && lagged > 0).length
    assert.ok(tinyLagged >= SESSIONS / 4, `the tiny buffers lagged: ${tinyLagged}`)
    assert.equal(stat(sim, 'sessions.open'), 0)
    assert.equal(stat(sim, 'tasks.completed'), SESSIONS)
  } finally {
    await roomy.close()
    await tiny.close()
  }
})
