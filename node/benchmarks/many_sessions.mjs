// Thousands of live sessions in one Node process (issue 23): the process's memory per open live
// session. The simulator runs in a child process of its own (this file with `--simulator`), so
// this process's RSS is the SDK's alone. Each session gets one long task and a waiter on its
// result over the socket, the state a backend serving many users holds.
//
//   cd node && npm run build:release && node benchmarks/many_sessions.mjs --sessions 5000
//
// The latency figure (emit to result with many tasks ending together) is the Rust benchmark's
// (`cargo bench -p enigma --bench many_sessions`): the waiting is the core's, in every language.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { Client } from 'enigma-click'
import { startSimulator } from 'enigma-click/testing'

const HOLD_TASK = 'Hold the session open #sim duration=80000 steps=1'

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : dflt
}

if (process.argv.includes('--simulator')) {
  // The child: a simulator until its parent closes our stdin.
  const sim = await startSimulator({ rateLimit: 0, maxSessions: 100_000, timeScale: 1, initialBalance: 1e9 })
  console.log(sim.url)
  process.stdin.resume()
  process.stdin.on('end', async () => {
    await sim.shutdown()
    process.exit(0)
  })
} else {
  await main(arg('sessions', 2000))
}

async function main(sessions) {
  const sim = spawn(process.execPath, [fileURLToPath(import.meta.url), '--simulator'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  const url = await new Promise((resolve, reject) => {
    sim.stdout.once('data', (chunk) => resolve(String(chunk).trim()))
    sim.once('exit', () => reject(new Error('the simulator did not start')))
  })
  const client = new Client({ apiKey: 'enig_benchmanysessions0000000000', baseUrl: url, ledger: 'off' })
  try {
    globalThis.gc?.()
    const before = process.memoryUsage().rss
    const started = performance.now()
    const held = []
    const waiters = []
    for (let first = 0; first < sessions; first += 100) {
      const n = Math.min(100, sessions - first)
      const opened = await Promise.all(Array.from({ length: n }, () => client.startSession({ taskDetails: HOLD_TASK })))
      for (const session of opened) {
        held.push(session)
        // Ends with an error when the session is terminated below: that is expected here.
        waiters.push(session.initialTask.result().catch(() => {}))
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 3000)) // every waiter on its socket
    const after = process.memoryUsage().rss
    const took = (performance.now() - started) / 1000
    console.log(`${sessions} live sessions, each with one task and a waiter on its result (Node ${process.version})`)
    console.log('| process | RSS before | RSS with the sessions open | per session |')
    console.log('|---|---|---|---|')
    const mib = (bytes) => Math.floor(bytes / 1024 / 1024)
    console.log(`| Node | ${mib(before)} MiB | ${mib(after)} MiB | ${((after - before) / 1024 / sessions).toFixed(0)} KiB |`)
    console.log(`opened ${(sessions / took).toFixed(0)} sessions/s`)
    // A hundred at a time, as they were opened: each terminate is a request, and 10,000 at
    // once would need 10,000 more connections beside the 10,000 sockets (past `ulimit -n`).
    for (let first = 0; first < held.length; first += 100) {
      await Promise.all(held.slice(first, first + 100).map((session) => session.terminate()))
    }
    await Promise.all(waiters)
  } finally {
    await client.close()
    sim.stdin.end()
  }
}
