// A guardrail answered: the agent stops to ask a question, we answer, it goes on.
//
//   node examples/guardrail.mjs
import * as common from './_common.mjs'

const answers = { size: 'Size 42', password: 'Use the guest checkout instead' }

const client = await common.client()
await client.withSession({ startingUrl: 'https://shop.example.com' }, async (session) => {
  const task = await session.newTask(common.task('Buy the blue running shoes', '#sim guardrail="Which size should I pick?"'))
  let result = await task.result({ timeoutMs: 300_000 })
  while (result.outcome === 'guardrail') {
    console.log('the agent asks:', result.question)
    const answer = Object.entries(answers).find(([k]) => result.question.toLowerCase().includes(k))?.[1] ?? 'Your choice'
    console.log('we answer:', answer)
    await session.answerGuardrail(answer, { resume: true })
    result = await task.result({ timeoutMs: 300_000 }) // the same task, waited on again
  }
  console.log(result.outcome, '-', result.message)
})
await common.done()
