// Manual interaction: take over the browser, click and type, then hand it back to the agent.
//
//   node examples/manual_interaction.mjs
import * as common from './_common.mjs'

const client = await common.client()
await client.withSession({ startingUrl: 'https://duckduckgo.com' }, async (session) => {
  const task = await session.newTask(common.task('Search for mechanical keyboards', '#sim duration=30'))
  await session.takeOver() // the agent waits while we drive
  await session.click(512, 300) // x 0-1024, y 155-755 (the page area)
  await session.typeText('mechanical keyboard', { humanLike: true })
  await session.pressKey('Enter')
  await session.release() // the agent carries on
  console.log('handed back; live view:', session.liveViewUrl)
  const result = await task.result({ timeoutMs: 300_000 })
  console.log(result.outcome, '-', result.message)
})
await common.done()
