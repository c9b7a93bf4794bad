// Testing your own code with the test kit: `enigma-click/testing` starts the simulator
// in-process (no network, no key), here under node:test. Run it as a program or with the runner:
//
//   node examples/testing.mjs
//   node --test examples/testing.mjs
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { Client, InsufficientBalanceError, TaskFailedError } from 'enigma-click'
import { startSimulator } from 'enigma-click/testing'

// --- your code ---------------------------------------------------------------------------------

/** Asks the agent for each product's price; a product it cannot price maps to 'unknown'. */
export async function findPrices(client, products) {
  const prices = {}
  for (const product of products) {
    try {
      prices[product] = (await client.runTask({ taskDetails: `Find the price of ${product}`, timeoutMs: 60_000 })).message
    } catch (err) {
      if (!(err instanceof TaskFailedError)) throw err
      prices[product] = 'unknown'
    }
  }
  return prices
}

// --- its tests ---------------------------------------------------------------------------------

let sim
before(async () => {
  sim = await startSimulator({ timeScale: 0.01, rateLimit: 0 })
})
after(() => sim.shutdown())

test('findPrices reads each price and survives a failure', async () => {
  const client = new Client({ apiKey: 'enig_testing000000000000000000000', baseUrl: sim.url })
  const prices = await findPrices(client, ['a keyboard #sim message="49 USD"', 'a lost item #sim fail=ELEMENT_NOT_FOUND'])
  assert.deepEqual(Object.values(prices), ['49 USD', 'unknown'])
  assert.equal(sim.stats().sessions.open, 0) // nothing left billing
})

test('findPrices reports an empty balance', async () => {
  const broke = await startSimulator({ timeScale: 0.01, rateLimit: 0, initialBalance: 0 })
  try {
    const client = new Client({ apiKey: 'enig_testing000000000000000000000', baseUrl: broke.url })
    await assert.rejects(findPrices(client, ['a keyboard']), InsufficientBalanceError)
  } finally {
    await broke.shutdown()
  }
})
