// Re-attach to a session from another process: this script starts a session and a task, then
// runs itself again as a child that finds them by their ids alone and waits for the result.
//
//   node examples/reattach.mjs
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import * as common from './_common.mjs'

const [sessionId, taskId] = process.argv.slice(2)
if (sessionId && taskId) {
  // The child: ENIGMA_API_KEY / ENIGMA_BASE_URL come from the parent's environment.
  const client = await common.client()
  const task = client.task(sessionId, taskId) // no request: ids are enough
  const result = await task.result({ timeoutMs: 300_000 })
  console.log(`[child] task ${task.id} of session ${task.sessionId}: ${result.outcome}`)
} else {
  const client = await common.client()
  await client.withSession({}, async (session) => {
    const task = await session.newTask(common.task('Find the weather in Paris', '#sim duration=20'))
    console.log(`[parent] started task ${task.id} in session ${session.id}`)
    execFileSync(process.execPath, [fileURLToPath(import.meta.url), session.id, task.id], {
      env: common.childEnv(),
      stdio: 'inherit',
    })
  })
  console.log('[parent] session terminated')
}
await common.done()
