// Benchmark: the same workloads through enigma-click and through plain `fetch` code like the
// seed's example (tests/seed/control-flow-demo.js), against one in-process simulator.
//   (a) sequential control messages, (b) concurrent control messages, (c) concurrent sessions
//   each running a task to completion. Then (d) the binding's overhead: sequential
//   `task.poll()` through enigma-click and through the raw Rust core
//   (crates/enigma/examples/core_poll.rs, via `cargo run --release` or the binary named by
//   ENIGMA_CORE_POLL), side by side on the same simulator, and their ratio.
// Run: cd node && npm run build:release && node benchmarks/bench.mjs [--seq 10000] [--conc 1000] [--sessions 200] [--polls 2000]
// Each workload runs in a fresh child process per client, so peak memory (max RSS) is its own.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Client } from 'enigma-click'
import { startSimulator } from 'enigma-click/testing'

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : dflt
}

if (process.argv[2] === '--child') {
  await child(process.argv[3], process.argv[4], process.argv[5], Number(process.argv[6]), process.argv[7])
} else {
  await parent()
}

async function parent() {
  const seq = arg('seq', 10_000)
  const conc = arg('conc', 1_000)
  const sessions = arg('sessions', 200)
  // One simulator for the whole run: no rate limit, enough sessions, fast agent.
  const sim = await startSimulator({ rateLimit: 0, maxSessions: 100_000, timeScale: 1, initialBalance: 1e9 })
  const rows = []
  for (const [workload, n] of [['sequential', seq], ['concurrent', conc], ['sessions', sessions]]) {
    for (const impl of ['fetch', 'sdk']) {
      const key = `enig_bench${impl}${workload}`.padEnd(33, '0')
      const out = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', impl, workload, sim.url, String(n), key], {
        encoding: 'utf8',
        env: { ...process.env, ENIGMA_LIVE_EVENTS: process.env.ENIGMA_LIVE_EVENTS ?? '1' },
      })
      if (out.status !== 0) throw new Error(`${impl} ${workload} failed: ${out.stderr}`)
      rows.push({ workload, impl, n, ...JSON.parse(out.stdout.trim().split('\n').pop()) })
    }
  }
  // (d) The same sequential poll through the raw core and through the package, in this run.
  const polls = arg('polls', 2_000)
  const pollKey = 'enig_benchpoll'.padEnd(33, '0')
  // Alternated, 5 times each, the best of each side (a latency floor is what noise from other
  // processes cannot lower).
  const coreRuns = []
  const sdkRuns = []
  for (let round = 0; round < 5; round++) {
    coreRuns.push(corePoll(sim.url, pollKey, polls))
    const sdkPoll = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', 'sdk', 'poll', sim.url, String(polls), pollKey], {
      encoding: 'utf8',
    })
    if (sdkPoll.status !== 0) throw new Error(`sdk poll failed: ${sdkPoll.stderr}`)
    sdkRuns.push(JSON.parse(sdkPoll.stdout.trim().split('\n').pop()).usPerCall)
  }
  const [coreUs, sdkUs] = [Math.min(...coreRuns), Math.min(...sdkRuns)]
  await sim.shutdown()
  console.log(`node ${process.version}, ${process.platform}-${process.arch}`)
  console.log('| workload | n | fetch calls/s | enigma-click calls/s | speed-up | fetch peak RSS MB | enigma-click peak RSS MB |')
  console.log('|---|---|---|---|---|---|---|')
  for (const w of ['sequential', 'concurrent', 'sessions']) {
    const f = rows.find((r) => r.workload === w && r.impl === 'fetch')
    const s = rows.find((r) => r.workload === w && r.impl === 'sdk')
    console.log(`| ${w} | ${f.n} | ${f.rate.toFixed(0)} | ${s.rate.toFixed(0)} | ${(s.rate / f.rate).toFixed(2)}x | ${f.rssMb.toFixed(0)} | ${s.rssMb.toFixed(0)} |`)
  }
  console.log()
  console.log(`| (d) ${polls} sequential task.poll(), best of 5 alternated runs | µs per call | vs the raw core |`)
  console.log('|---|---|---|')
  console.log(`| raw Rust core (tokio) | ${coreUs.toFixed(0)} | 1.00x |`)
  console.log(`| enigma-click | ${sdkUs.toFixed(0)} | ${(sdkUs / coreUs).toFixed(2)}x |`)
}

/** Microseconds per sequential `task.poll()` of the raw Rust core, on the same simulator. */
function corePoll(url, key, n) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
  const binary = process.env.ENIGMA_CORE_POLL
  const [command, args] = binary
    ? [binary, []]
    : ['cargo', ['run', '--release', '--quiet', '-p', 'enigma', '--example', 'core_poll', '--']]
  const out = spawnSync(command, [...args, url, key, String(n)], { encoding: 'utf8', cwd: root })
  if (out.status !== 0) throw new Error(`core_poll failed: ${out.stderr}`)
  return JSON.parse(out.stdout.trim().split('\n').pop()).us_per_call
}

async function child(impl, workload, base, n, key) {
  if (workload === 'poll') return pollChild(base, n, key)
  const api = impl === 'sdk' ? sdkApi(base, key) : fetchApi(base, key)
  const session = workload === 'sessions' ? null : await api.start()
  let peak = process.memoryUsage.rss()
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20)
  const t0 = performance.now()
  // Alternating pause/resume: a control message with no task running is a plain 200 ack.
  const message = (i) => api.control(session, i % 2 ? 'resume' : 'pause')
  if (workload === 'sequential') {
    for (let i = 0; i < n; i++) await message(i)
  } else if (workload === 'concurrent') {
    await Promise.all(Array.from({ length: n }, (_, i) => message(i)))
  } else {
    await Promise.all(Array.from({ length: n }, () => api.sessionWithTask()))
  }
  const seconds = (performance.now() - t0) / 1000
  clearInterval(sampler)
  peak = Math.max(peak, process.memoryUsage.rss())
  if (session) await api.end(session)
  console.log(JSON.stringify({ seconds, rate: n / seconds, rssMb: peak / 1e6 }))
  process.exit(0)
}

/** Microseconds per sequential `task.poll()` through the package (as core_poll.rs does). */
async function pollChild(base, n, apiKey) {
  const client = new Client({ apiKey, baseUrl: base })
  const session = await client.startSession()
  const task = await session.newTask('bench')
  for (let i = 0; i < 200; i++) await task.poll()
  const t0 = performance.now()
  for (let i = 0; i < n; i++) await task.poll()
  const usPerCall = ((performance.now() - t0) * 1000) / n
  await session.terminate()
  console.log(JSON.stringify({ usPerCall }))
  process.exit(0)
}

function sdkApi(base, apiKey) {
  const client = new Client({ apiKey, baseUrl: base, pollIntervalMs: 50 })
  return {
    start: () => client.startSession(),
    control: (session, state) => session[state](),
    end: (session) => session.terminate(),
    sessionWithTask: () =>
      client.withSession({}, async (session) => {
        const task = await session.newTask({ taskDetails: 'Benchmark task #sim duration=1' })
        const result = await task.result({ timeoutMs: 60_000 })
        if (result.outcome !== 'completed') throw new Error(result.outcome)
      }),
  }
}

// The seed's style: fetch + JSON by hand, a poll loop.
function fetchApi(BASE, API_KEY) {
  const sendMessage = (sessionId, message) =>
    fetch(`${BASE}/start/send-message`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${API_KEY}` },
      body: JSON.stringify({ sessionId, message }),
    }).then((r) => r.json())
  const start = () =>
    fetch(`${BASE}/start/start-session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${API_KEY}` },
      body: JSON.stringify({}),
    }).then((r) => r.json())
  async function pollForResult(sessionId, taskId) {
    for (let i = 0; i < 1200; i++) {
      const data = await fetch(`${BASE}/task/${sessionId}/${taskId}`, { headers: { Authorization: `Bearer ${API_KEY}` } }).then((r) => r.json())
      if (data.type === 'task_completed') return data
      if (data.status === 'failed') throw new Error(data.error)
      if (data.pending) {
        await new Promise((r) => setTimeout(r, 50))
        continue
      }
      return data
    }
    throw new Error('Polling timeout')
  }
  return {
    start,
    control: (session, state) =>
      sendMessage(session.sessionId, { actionType: 'state', newState: state }).then((r) => {
        if (!r.success) throw new Error(JSON.stringify(r))
      }),
    end: (session) => sendMessage(session.sessionId, { actionType: 'state', newState: 'terminate' }),
    sessionWithTask: async () => {
      const session = await start()
      try {
        const task = await sendMessage(session.sessionId, { actionType: 'newTask', newState: 'start', taskDetails: 'Benchmark task #sim duration=1' })
        if (task.result?.type !== 'task_completed' && task.status !== 'complete') await pollForResult(session.sessionId, task.taskId)
      } finally {
        await sendMessage(session.sessionId, { actionType: 'state', newState: 'terminate' })
      }
    },
  }
}
