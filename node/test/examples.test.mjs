// The README's Node example runs; the seed's controlFlowDemo rewritten with this SDK
// (examples/control-flow-demo.mjs) reads shorter and behaves the same as the verbatim seed.
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

function runNode(file, env) {
  return new Promise((resolve) => {
    execFile(process.execPath, [file], { cwd: pkg, env: { ...process.env, ...env }, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (error.code ?? 1) : 0, stdout, stderr }),
    )
  })
}

/** Lines of code, without blank lines and comments. */
function codeLines(text) {
  return text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('//')).length
}

test('the README Node example runs against the simulator', async () => {
  const readme = fs.readFileSync(path.join(repo, 'README.md'), 'utf8')
  const section = readme.slice(readme.indexOf('\n## Node'))
  const match = section.match(/```js\n([\s\S]*?)```/)
  assert.ok(match, 'README has a ```js block in its Node section')
  // Inside the package, so that `import 'enigma-click'` resolves to it.
  fs.mkdirSync(path.join(pkg, '.tmp'), { recursive: true })
  const file = path.join(pkg, '.tmp', `readme-example-${process.pid}.mjs`)
  fs.writeFileSync(file, match[1])
  const sim = await startSim({ timeScale: 0.01 })
  try {
    const out = await runNode(file, { ENIGMA_API_KEY: key(), ENIGMA_BASE_URL: sim.url })
    assert.equal(out.code, 0, out.stderr)
    assert.match(out.stdout, /completed/)
    assert.equal(sim.stats().sessions.open, 0)
  } finally {
    fs.rmSync(file, { force: true })
    await sim.shutdown()
  }
})

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
