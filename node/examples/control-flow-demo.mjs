// The seed's "Control Flow Example" (tests/seed/control-flow-demo.js, from the service's
// session-control page), rewritten with enigma-click: same requests, same output, same outcome.
// ENIGMA_API_KEY and ENIGMA_BASE_URL come from the environment.
import { Client } from 'enigma-click'

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

async function controlFlowDemo() {
  const client = new Client()
  const start = { taskDetails: 'Go to amazon.com', startingUrl: 'https://amazon.com' }
  await client.withSession(start, async (session) => {
    const task = await session.newTask({ taskDetails: "Search for 'mechanical keyboard'" })
    await sleep(5000) // Wait a bit, then pause to inspect
    await session.pause()
    console.log('Task paused for inspection')
    await sleep(3000) // Check something (e.g., video stream, task status)
    const shouldContinue = true // Your logic here
    if (shouldContinue) {
      await session.resume()
      console.log('Task resumed')
      const result = await task.result({ timeoutMs: 120_000 }) // failures reject
      if (result.outcome === 'guardrail') throw new Error(`Guardrail: ${result.question}`)
    } else {
      await session.stop()
      console.log('Task stopped')
      await session.newTask({ taskDetails: 'Navigate to homepage instead' })
    }
  }) // terminates the session, whatever happened
  console.log('Session terminated')
}

controlFlowDemo()
