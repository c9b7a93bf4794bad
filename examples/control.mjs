// Pause, resume and stop a running task.
//
//   node examples/control.mjs
import { setTimeout as sleep } from 'node:timers/promises'
import * as common from './_common.mjs'

/** Commands travel over the live connection; a poll shows them once the agent took them. */
async function waitUntilPaused(task, paused) {
  for (let i = 0; i < 100 && (await task.poll()).paused !== paused; i++) await sleep(50)
}

const client = await common.client()
await client.withSession({ startingUrl: 'https://www.amazon.com' }, async (session) => {
  const task = await session.newTask(common.task('Compare the three cheapest laptops', '#sim duration=120'))
  await session.pause()
  await waitUntilPaused(task, true)
  console.log('paused:', (await task.poll()).paused)
  await session.resume()
  await waitUntilPaused(task, false)
  console.log('resumed:', !(await task.poll()).paused)
  await session.stop()
  const result = await task.result({ timeoutMs: 60_000 })
  console.log('outcome:', result.outcome) // "stopped"
})
await common.done()
