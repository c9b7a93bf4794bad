// Runs every tests/scenarios/*.json through the Node API (format: tests/scenarios/README.md);
// the Rust runner (crates/enigma/tests/scenarios.rs) is the reference.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { EnigmaError } from 'enigma-click'
import { startSim, makeClient, stat, sleep, TIME_SCALE } from './helpers.mjs'

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../tests/scenarios')
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()

test('the scenarios exist', () => assert.ok(files.length >= 10, files.join(', ')))

const sessionOptions = (a = {}) => ({
  taskDetails: a.taskDetails, startingUrl: a.startingUrl, maxDuration: a.maxDuration, maxInputTokens: a.maxInputTokens,
  maxOutputTokens: a.maxOutputTokens, avoidDomains: a.avoidDomains, terminateOnCompletion: a.terminateOnCompletion,
})
const waitOptions = (a = {}) => ({
  timeoutMs: a.timeout === undefined ? undefined : a.timeout * 1000, maxCost: a.maxCost,
})

// Each file against the simulator as it is, and as the docs alone describe the service.
for (const file of files) for (const strictDocs of [false, true]) {
  const scenario = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'))
  if (strictDocs) {
    // `paused` in polls is an extra of the simulator: the documented service does not send it.
    for (const step of scenario.steps) {
      if (step.expect?.paused !== undefined) {
        delete step.expect.paused
        step.expect.state = 'running'
      }
    }
  }
  test(`${file}${strictDocs ? ' (strict docs)' : ''}: ${scenario.name}`, async () => {
    const settings = scenario.simulator ?? {}
    const timeScale = settings.timeScale ?? TIME_SCALE
    const sim = await startSim({
      strictDocs,
      timeScale,
      inlineWaitMs: settings.inlineWait === undefined ? undefined : settings.inlineWait * 1000,
      maxSessions: settings.maxSessions,
      initialBalance: settings.balance,
    })
    try {
      const client = makeClient(sim)
      const state = { session: null, task: null, saved: new Map() }
      for (const [index, step] of scenario.steps.entries()) {
        const where = `step ${index} (${step.op})`
        const expect = step.expect ?? {}
        if (step.op === 'stats') {
          for (const [p, expected] of Object.entries(expect)) {
            assert.equal(stat(sim, p), expected, `${where}: stats ${p}: ${JSON.stringify(sim.stats())}`)
          }
          continue
        }
        let produced
        try {
          produced = await perform(client, state, step, timeScale)
        } catch (err) {
          if (!expect.error) throw new Error(`${where}: unexpected error: ${err.message}`, { cause: err })
          assert.ok(err instanceof EnigmaError, `${where}: ${err}`)
          assert.equal(err.code, expect.error, `${where}: ${err.message}`)
          if (expect.serverCode) assert.equal(err.serverCode, expect.serverCode, where)
          if (expect.status) assert.equal(err.status, expect.status, where)
          continue
        }
        assert.ok(!expect.error, `${where}: expected error ${expect.error}, but the step succeeded`)
        check(produced, expect, where)
      }
    } finally {
      await sim.shutdown()
    }
  })
}

async function perform(client, state, step, timeScale) {
  const a = step.args ?? {}
  const s = () => state.session
  const task = () => (step.task ? state.saved.get(step.task) : state.task)
  switch (step.op) {
    case 'startSession':
      state.session = await client.startSession(sessionOptions(a))
      state.task = state.session.initialTask
      return null
    case 'newTask': {
      const t = await s().newTask(sessionOptions(a))
      if (step.save) state.saved.set(step.save, t)
      state.task = t
      return null
    }
    case 'runTask':
      return { result: await client.runTask({ ...sessionOptions(a), ...waitOptions(a) }) }
    case 'result':
      return { result: await task().result(waitOptions(a)) }
    case 'poll':
      return { status: await task().poll() }
    case 'pause': return s().pause()
    case 'resume': return s().resume()
    case 'stop': return s().stop()
    case 'terminate': return s().terminate()
    case 'takeOver': return s().takeOver()
    case 'release': return s().release()
    case 'click': return s().click(a.x ?? 0, a.y ?? 0)
    case 'doubleClick': return s().doubleClick(a.x ?? 0, a.y ?? 0)
    case 'typeText': return s().typeText(a.text ?? '', { humanLike: a.humanLike === true })
    case 'pressKey': return s().pressKey(a.key ?? '')
    case 'answerGuardrail': return s().answerGuardrail(a.text ?? '', { resume: a.resume !== false })
    case 'sleep': return sleep((step.simSeconds ?? 1) * timeScale * 1000)
    default: throw new Error(`unknown op ${step.op}`)
  }
}

function check(produced, expect, where) {
  if (produced?.result) {
    const r = produced.result
    const text = `${where}: ${JSON.stringify(r)}`
    if (expect.outcome) assert.equal(r.outcome, expect.outcome, text)
    if (expect.messageContains) assert.ok((r.message ?? '').includes(expect.messageContains), text)
    if (expect.question) assert.equal(r.question, expect.question, text)
    const cost = r.usage.cost ?? 0
    if (expect.minCost !== undefined) assert.ok(cost >= expect.minCost, text)
    if (expect.maxCost !== undefined) assert.ok(cost <= expect.maxCost, text)
  }
  if (produced?.status) {
    const st = produced.status
    if (expect.state) assert.equal(st.state, expect.state, `${where}: ${JSON.stringify(st.raw)}`)
    if (expect.paused !== undefined) {
      assert.equal(st.state, 'running', where)
      assert.equal(st.paused, expect.paused, `${where}: ${JSON.stringify(st.raw)}`)
    }
  }
}
