// A plain project's use of the SDK: no `await using`, so it needs no disposable lib of its own.
// Compiled by test/types.test.mjs with TypeScript 5.x and the latest, with and without
// @types/node (the tsconfig.plain-*.json files), since the SDK's own declarations must not
// depend on either.
import { Client } from 'enigma-click'
import { startSimulator } from 'enigma-click/testing'

const sim = await startSimulator({ timeScale: 0.01 })
const client = new Client({ apiKey: 'enig_x', baseUrl: sim.url })
const session = await client.startSession({})
await session[Symbol.asyncDispose]()
await sim.shutdown()
