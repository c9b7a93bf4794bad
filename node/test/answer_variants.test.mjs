// The documented variants of the task answers from Node: startSimulator({ answerVariants: [...] })
// reaches the simulator, whose answers then take those shapes (docs/api-contract.md §10), and a
// task run on it reads to the same result. (The core's tests, crates/enigma/tests/answer_variants.rs,
// check every variant one by one.)
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startSim, makeClient, key } from './helpers.mjs'

/** The raw answer of POST /start/run-task. */
async function runTaskRaw(sim, task) {
  const response = await fetch(`${sim.url}/start/run-task`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key()}` },
    body: JSON.stringify({ taskDetails: task }),
  })
  assert.equal(response.status, 200)
  return response.json()
}

test('startSimulator({ answerVariants }): the answers take the variants and read to the same result', async () => {
  const sim = await startSim({ answerVariants: ['inline_without_status', 'usage_in_data', 'snake_case_usage'] })
  try {
    const answer = await runTaskRaw(sim, 'Find shoes')
    assert.equal('status' in answer, false, JSON.stringify(answer))
    assert.equal('usage' in answer.result, false, JSON.stringify(answer))
    assert.deepEqual(Object.keys(answer.result.data.usage), ['cost'])
    const client = makeClient(sim)
    const result = await client.runTask('Find shoes')
    assert.equal(result.outcome, 'completed')
    assert.equal(result.usage.cost, answer.result.data.usage.cost)
    assert.equal(result.usage.inputTokens, answer.result.data.prompt_tokens)
  } finally {
    await sim.shutdown()
  }
})

test('startSimulator({ answerVariants }): an unknown name is refused with the known ones', async () => {
  await assert.rejects(startSim({ answerVariants: ['flat_result'] }), (err) => {
    assert.match(err.message, /flat_result/)
    assert.match(err.message, /snake_case_usage/)
    return true
  })
})
