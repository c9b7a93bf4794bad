// Quickstart: one task, one call. The session is opened, the task run, the session ended.
//
//   node examples/quickstart.mjs
import * as common from './_common.mjs'

const client = await common.client()
const result = await client.runTask({ taskDetails: common.task('Find the opening hours of the Louvre'), timeoutMs: 120_000 })
console.log(result.outcome, '-', result.message)
console.log(`cost: ${result.usage.cost} USD, tokens: ${result.usage.totalTokens}`)
await common.done()
