// Clean exit: a child `node` process that uses the SDK exits by itself within 2 s of finishing
// its work (no native handle keeps the event loop alive).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))

const SCRIPT = `
import { Client } from 'enigma-click'
import { startSimulator } from 'enigma-click/testing'
const sim = await startSimulator({ timeScale: 0.01, rateLimit: 0, inlineWaitMs: 200 })
const client = new Client({ apiKey: 'enig_exit00000000000000000000000', baseUrl: sim.url, pollIntervalMs: 10 })
const controller = new AbortController()
await client.withSession({ signal: controller.signal }, async (session) => {
  const task = await session.newTask({ taskDetails: 'Work #sim duration=60' })
  await session.pause(); await session.resume()
  const result = await task.result({ signal: controller.signal, onStatus: () => {} })
  if (result.outcome !== 'completed') throw new Error(result.outcome)
})
await client.runTask({ taskDetails: 'One more', signal: controller.signal })
await client.health()
if (process.argv.includes('--shutdown')) await sim.shutdown()
console.log('DONE')
`

function runChild(args) {
  fs.mkdirSync(path.resolve(here, '../.tmp'), { recursive: true })
  const file = path.resolve(here, `../.tmp/exit-child-${process.pid}-${args.length}.mjs`)
  fs.writeFileSync(file, SCRIPT)
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file, ...args], { cwd: path.resolve(here, '..'), stdio: ['ignore', 'pipe', 'pipe'] })
    let doneAt = null
    let stderr = ''
    child.stdout.on('data', (d) => {
      if (String(d).includes('DONE')) doneAt = Date.now()
    })
    child.stderr.on('data', (d) => (stderr += d))
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000)
    child.on('exit', (code, signal) => {
      clearTimeout(killer)
      fs.rmSync(file, { force: true })
      if (doneAt === null) return reject(new Error(`the child never finished (code ${code}, ${signal}): ${stderr}`))
      resolve({ code, signal, lingerMs: Date.now() - doneAt, stderr })
    })
  })
}

test('a script exits by itself within 2 s of its work, simulator left running', async () => {
  const { code, lingerMs, stderr } = await runChild([])
  assert.equal(code, 0, stderr)
  assert.ok(lingerMs < 2000, `lingered ${lingerMs} ms`)
})

test('a script exits by itself within 2 s of its work, simulator shut down', async () => {
  const { code, lingerMs, stderr } = await runChild(['--shutdown'])
  assert.equal(code, 0, stderr)
  assert.ok(lingerMs < 2000, `lingered ${lingerMs} ms`)
})
