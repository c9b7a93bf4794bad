// Type test: real usage of the published types, compiled with `tsc --noEmit` (test/types.test.mjs).
import {
  Client, EnigmaError, RateLimitError, TaskFailedError, WaitTimeout, CostLimitExceeded, ValidationError, AbortError,
  errorClasses, type EnigmaEvent, type EventStream, type TaskResult, type TaskStatus, type Usage, type Session, type Task, type ErrorCode,
  type BatchQuestion,
} from 'enigma-click'
import { startSimulator, type SimulatorStats } from 'enigma-click/testing'

const sim = await startSimulator({ timeScale: 0.01, rateLimit: 0, inlineWaitMs: 500, rateLimitScope: 'perEndpoint' })
const stats: SimulatorStats = sim.stats()
const open: number = stats.sessions.open
await sim.injectFault({ endpoint: 'GET /task', status: 500, count: 1 })

const client = new Client({ apiKey: 'enig_x', baseUrl: sim.url, pollIntervalMs: 10, maxRetries: 1, liveEvents: true })
const controller = new AbortController()

const result: TaskResult = await client.withSession({ startingUrl: 'https://amazon.com', signal: controller.signal }, async (session) => {
  const task: Task = await session.newTask({ taskDetails: "Search for 'mechanical keyboard'", maxDuration: 60000 })
  await session.pause()
  await session.resume()
  await session.click(10, 200, { signal: controller.signal })
  await session.typeText('hi', { humanLike: true })
  await session.pressKey('Enter')
  const status: TaskStatus = await task.poll()
  if (status.state === 'running' && status.paused) console.log('paused')
  return task.result({ timeoutMs: 120000, maxCost: 0.5, signal: controller.signal, onStatus: (s) => console.log(s.usage.cost) })
})
const outcome: 'completed' | 'guardrail' | 'stopped' = result.outcome
const usage: Usage = result.usage
const cost: number | null = usage.cost
const n: number = await client.withSession(async () => 1)

{
  await using session: Session = await client.startSession({ taskDetails: 'x' })
  const initial: Task | null = session.initialTask
  const again: Session = client.session(session.id)
  await again.answerGuardrail('yes', { resume: false })
  void initial
}

try {
  await client.runTask({ taskDetails: 'one shot', timeoutMs: 1000, maxCost: 1, avoidDomains: ['x.com'] })
  await client.runTask('a string task')
} catch (err) {
  // `task` is always set: a Task, or null (runTask, before the service named it); never undefined.
  if (err instanceof WaitTimeout) {
    const task: Task | null = err.task
    if (task !== null) await task.result()
  } else if (err instanceof CostLimitExceeded) {
    const task: Task | null = err.task
    console.log(err.usage?.cost, err.limit, task?.id)
  }
  else if (err instanceof RateLimitError) console.log(err.retryAfter, err.status)
  else if (err instanceof TaskFailedError) console.log(err.serverCode, err.usage)
  else if (err instanceof ValidationError) console.log(err.field)
  else if (err instanceof AbortError) console.log(err.name === 'AbortError')
  else if (err instanceof EnigmaError) {
    const code: ErrorCode = err.code
    console.log(code, errorClasses[code])
  }
}
await client.withSession({}, async (session) => {
  const events: EventStream = session.events({ signal: controller.signal })
  for await (const event of events) {
    switch (event.type) {
      case 'agentThought': console.log(event.content, event.taskId); break
      case 'action': console.log(event.name, event.target); break
      case 'taskCompleted': console.log(event.usage.cost, event.message); break
      case 'guardrail': await session.answerGuardrail(`re: ${event.question}`); break
      case 'taskError': console.log(event.code, event.error); break
      case 'sessionEnded': console.log(event.reason === 'terminated'); break
      case 'disconnected': console.log(event.willReconnect); break
      case 'lagged': console.log(event.missed + 1); break
      case 'raw': console.log(event.name, event.payload); break
      default: { const other: EnigmaEvent = event; console.log(other.type) }
    }
    if (events.closed) break
  }
})
// `onGuardrail` receives the whole question (the README's form), not its text.
const answered = client.runMany(['Buy shoes'], { onGuardrail: async (q) => (q.question.includes('size') ? '42' : null) })
const question = (q: BatchQuestion): string => `${q.index} ${q.id ?? ''} ${q.question} ${q.sessionId} ${q.taskId}`
// @ts-expect-error: a callback taking the question's text is refused
client.runMany(['Buy shoes'], { onGuardrail: (text: string) => text })
void [answered, question]
const health = await client.health({ signal: AbortSignal.timeout(1000) })
console.log(health.status, client.openSessionIds(), await client.terminateOpenSessions(), client.config.baseUrl)
client.close()
await sim.shutdown()
void [open, outcome, cost, n]
