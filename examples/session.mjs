// A session with several tasks, one after the other, in the same browser.
//
//   node examples/session.mjs
import * as common from './_common.mjs'

const steps = ["Search Wikipedia for 'Ada Lovelace'", 'Open the article about her', 'Find the year she was born']

const client = await common.client()
await client.withSession({ startingUrl: 'https://en.wikipedia.org' }, async (session) => {
  console.log('session', session.id, 'live view:', session.liveViewUrl)
  for (const step of steps) {
    const task = await session.newTask(common.task(step))
    const result = await task.result({ timeoutMs: 120_000 })
    console.log(`'${step}' -> ${result.outcome}: ${result.message}`)
  }
}) // the session is terminated here
await common.done()
