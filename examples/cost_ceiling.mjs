// A cost ceiling: the wait stops the task once its cost passes `maxCost`.
// The ceiling is checked from the first answer on: a new task's request waits up to 50 s
// for an inline result, and a task that ends within it cannot be stopped earlier.
//
//   node examples/cost_ceiling.mjs
import { CostLimitExceeded } from 'enigma-click'
import * as common from './_common.mjs'

const client = await common.client()
try {
  const result = await client.runTask({
    taskDetails: common.task('Research 50 laptops and compare them', '#sim duration=600 cost=0.5'),
    maxCost: 0.1,
    timeoutMs: 300_000,
  })
  console.log('finished under the ceiling:', result.outcome, result.usage.cost)
} catch (err) {
  if (!(err instanceof CostLimitExceeded)) throw err
  // The SDK sent `stop`; the session was ended with the call.
  console.log(`stopped at ${err.usage.cost.toFixed(2)} USD (limit ${err.limit.toFixed(2)} USD), task ${err.taskId}`)
}
await common.done()
