// The Node examples of the repository (examples/*.mjs) run on the simulator without a key; the
// seed's controlFlowDemo rewritten with this SDK (node/examples/control-flow-demo.mjs) reads
// shorter and behaves the same as the verbatim seed. (README code blocks: docs.test.mjs.)
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { startSim, key, sent, stat } from './helpers.mjs'

const here = path.dirname(fileURLToPath(import.meta.url))
const pkg = path.resolve(here, '..')
const repo = path.resolve(pkg, '..')

function runNode(file, env, cwd = pkg) {
  return new Promise((resolve) => {
    execFile(process.execPath, [file], { cwd, env: { ...process.env, ...env }, timeout: 120_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (error.code ?? 1) : 0, stdout, stderr }),
    )
  })
}

// What each example must print (besides exiting 0): proof it did its job, not just ran.
const EXPECTED = {
  quickstart: ['completed - '],
  session: ["Find the year she was born' -> completed"],
  control: ['paused: true', 'resumed: true', 'outcome: stopped'],
  cost_ceiling: ['(limit 0.10 USD)'],
  guardrail: ['the agent asks: Which size', 'completed - '],
  live_events: ['thinking:', 'doing:', 'done:'],
  manual_interaction: ['handed back', 'completed - '],
  reattach: ['[child] task', ': completed', '[parent] session terminated'],
  error_handling: ['validation: field=taskDetails', 'wait_timeout', 'task_failed: NAVIGATION_TIMEOUT', 'authentication: status=401'],
  testing: ['# pass 2', '# fail 0'],
}

test('the examples run on the simulator, without a key', async () => {
  const dir = path.join(repo, 'examples')
  const programs = fs.readdirSync(dir).filter((f) => f.endsWith('.mjs') && !f.startsWith('_')).map((f) => f.slice(0, -4))
  assert.deepEqual(programs.sort(), Object.keys(EXPECTED).sort())
  // `import 'enigma-click'` from examples/ resolves through examples/node_modules (what
  // `npm install` there makes from its file:../node dependency): link it if missing.
  const link = path.join(dir, 'node_modules', 'enigma-click')
  if (!fs.existsSync(link)) {
    fs.mkdirSync(path.dirname(link), { recursive: true })
    fs.symlinkSync(path.relative(path.dirname(link), pkg), link, 'dir')
  }
  const env = { ...process.env }
  delete env.ENIGMA_API_KEY
  delete env.ENIGMA_BASE_URL
  delete env.NODE_TEST_CONTEXT // testing.mjs runs its own node:test tests and reports them
  const runs = await Promise.all(
    programs.map(async (name) => {
      const out = await new Promise((resolve) => {
        execFile(process.execPath, [path.join(dir, `${name}.mjs`)], { cwd: dir, env, timeout: 120_000 }, (error, stdout, stderr) =>
          resolve({ code: error ? (error.code ?? 1) : 0, stdout, stderr }),
        )
      })
      return { name, ...out }
    }),
  )
  const failures = runs
    .map(({ name, code, stdout, stderr }) => ({ name, code, stdout, stderr, missing: EXPECTED[name].filter((t) => !stdout.includes(t)) }))
    .filter((r) => r.code !== 0 || r.missing.length > 0)
  assert.deepEqual(failures, [])
})

/** Lines of code, without blank lines and comments. */
function codeLines(text) {
  return text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('//')).length
}

test('controlFlowDemo with the SDK: shorter, same output, same effect as the seed', async () => {
  const seedFile = path.join(repo, 'tests/seed/control-flow-demo.js')
  const ours = path.join(pkg, 'examples/control-flow-demo.mjs')
  const seedText = fs.readFileSync(seedFile, 'utf8')
  const oursText = fs.readFileSync(ours, 'utf8')
  assert.ok(codeLines(oursText) < codeLines(seedText) * 0.5, `${codeLines(oursText)} vs ${codeLines(seedText)} lines`)

  const [seedSim, oursSim] = await Promise.all([startSim({ timeScale: 0.1 }), startSim({ timeScale: 0.1 })])
  try {
    const [a, b] = await Promise.all([
      runNode(seedFile, { ENIGMA_API_KEY: key(), ENIGMA_BASE_URL: seedSim.url }),
      runNode(ours, { ENIGMA_API_KEY: key(), ENIGMA_BASE_URL: oursSim.url }),
    ])
    assert.equal(a.code, 0, a.stderr)
    assert.equal(b.code, 0, b.stderr)
    assert.equal(b.stdout, a.stdout)
    assert.deepEqual(b.stdout.trim().split('\n'), ['Task paused for inspection', 'Task resumed', 'Session terminated'])
    for (const [who, sim] of [['seed', seedSim], ['ours', oursSim]]) {
      const counts = () => ({
        open: stat(sim, 'sessions.open'), sessions: stat(sim, 'sessions.total'), started: stat(sim, 'tasks.started'),
        completed: stat(sim, 'tasks.completed'), pause: sent(sim, 'state:pause'), resume: sent(sim, 'state:resume'),
        terminate: sent(sim, 'state:terminate'), newTask: sent(sim, 'newTask'),
      })
      const expected = { open: 0, sessions: 1, started: 2, completed: 2, pause: 1, resume: 1, terminate: 1, newTask: 1 }
      // The simulator's counters trail its answers by a moment.
      for (let i = 0; i < 100 && JSON.stringify(counts()) !== JSON.stringify(expected); i++) await new Promise((r) => setTimeout(r, 20))
      assert.deepEqual(counts(), expected, `${who}: ${JSON.stringify(sim.stats())}`)
    }
  } finally {
    await Promise.all([seedSim.shutdown(), oursSim.shutdown()])
  }
})
