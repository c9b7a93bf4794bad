// Live events printed as they come: the agent's thoughts and actions, then the outcome.
//
//   node examples/live_events.mjs
import * as common from './_common.mjs'

const client = await common.client()
await client.withSession({ startingUrl: 'https://news.ycombinator.com' }, async (session) => {
  let task
  for await (const event of session.events()) {
    if (event.type === 'connected') {
      // Events are not replayed: start the work once the stream is live.
      task ??= await session.newTask(common.task('Find the top story', '#sim steps=4'))
    } else if (event.type === 'agentThought') console.log('thinking:', event.content)
    else if (event.type === 'action') console.log('doing:   ', event.name, event.target ?? '')
    else if (event.type === 'taskCompleted') {
      console.log('done:    ', event.message)
      break
    } else if (['taskError', 'guardrail', 'sessionEnded'].includes(event.type)) {
      console.log('ended:   ', event)
      break
    }
  }
})
await common.done()
