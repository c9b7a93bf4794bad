// Smoke test of the installed npm tarballs, run by scripts/package-check.sh in a fresh app with
// no Rust toolchain on PATH: the in-process simulator, a session, a task, pause and resume, the
// result, terminate. Argument: the version the package must report.
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import path from 'node:path'
import { Client, version } from 'enigma-click'
import { startSimulator } from 'enigma-click/testing'

const require = createRequire(import.meta.url)
const onPath = (name) =>
  (process.env.PATH ?? '').split(path.delimiter).some((dir) => {
    try {
      return require('node:fs').statSync(path.join(dir, name)).isFile()
    } catch {
      return false
    }
  })
// package-check.sh: prove no toolchain was at hand.
if (process.env.ENIGMA_SMOKE_NO_RUST === '1') assert.ok(!onPath('cargo') && !onPath('rustc'), 'a Rust toolchain is on PATH')
assert.equal(version, process.argv[2])
// The addon came from the platform package: the installed main package has no build/ folder.
const main = path.dirname(require.resolve('enigma-click/package.json'))
assert.ok(main.includes('node_modules'), main)
assert.ok(!require('node:fs').existsSync(path.join(main, 'build')), 'the main package carries a build/ folder')
const platformPkg = require.resolve(`@enigma-click/${process.argv[3]}/package.json`)

const sim = await startSimulator({ timeScale: 0.01, rateLimit: 0 })
try {
  const client = new Client({ apiKey: 'enig_packagecheck000000000000', baseUrl: sim.url })
  const session = await client.startSession()
  const task = await session.newTask({ taskDetails: 'Search for wireless keyboards #sim duration=5' })
  await session.pause()
  await session.resume()
  const result = await task.result({ timeoutMs: 60000 })
  assert.equal(result.outcome, 'completed')
  await session.terminate()
  assert.equal(sim.stats().sessions.open, 0)
} finally {
  await sim.shutdown()
}
console.log(`node smoke test passed (ESM): enigma-click ${version}, addon from ${path.dirname(platformPkg)}`)
