// A project that uses `await using` (it brings its own esnext lib): our global declarations
// must merge with the lib's and @types/node's without conflict.
import { Client } from 'enigma-click'
import { startSimulator } from 'enigma-click/testing'

await using sim = await startSimulator({ timeScale: 0.01 })
const client = new Client({ apiKey: 'enig_x', baseUrl: sim.url })
await using session = await client.startSession({})
void session
