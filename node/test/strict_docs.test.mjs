// The simulator's documented-only mode from Node: startSimulator({ strictDocs: true }) reaches the
// simulator, whose start answer then has no taskId for the initial task (one of its extras,
// docs/api-contract.md §9).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startSim, key } from './helpers.mjs'

/** The raw answer of POST /start/start-session. */
async function startSession(sim, task) {
  const response = await fetch(`${sim.url}/start/start-session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key()}` },
    body: JSON.stringify({ taskDetails: task }),
  })
  assert.equal(response.status, 200)
  return response.json()
}

for (const strictDocs of [undefined, false, true]) {
  test(`startSimulator({ strictDocs: ${strictDocs} }): the initial task's id is ${strictDocs ? 'left out' : 'sent'}`, async () => {
    const sim = await startSim(strictDocs === undefined ? {} : { strictDocs })
    try {
      const answer = await startSession(sim, 'Find shoes')
      assert.equal(typeof answer.sessionId, 'string')
      assert.equal('taskId' in answer, !strictDocs, JSON.stringify(answer))
    } finally {
      await sim.shutdown()
    }
  })
}
