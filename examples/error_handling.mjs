// Error handling: each failure is a subclass of EnigmaError with a stable `code`.
//
//   node examples/error_handling.mjs
import { AuthenticationError, EnigmaError, TaskFailedError, ValidationError, WaitTimeout } from 'enigma-click'
import * as common from './_common.mjs'

const client = await common.client()

// Bad input is refused before anything is sent, naming the option.
try {
  await client.runTask({ taskDetails: '' })
} catch (err) {
  if (!(err instanceof ValidationError)) throw err
  console.log(`validation: field=${err.field} status=${err.status}`)
}

// A wait that runs out of time leaves the task running: wait again on `err.task`.
await client.withSession({}, async (session) => {
  const task = await session.newTask(common.task("Summarise today's headlines", '#sim duration=100'))
  try {
    await task.result({ timeoutMs: 50 })
  } catch (err) {
    if (!(err instanceof WaitTimeout)) throw err
    console.log('wait_timeout: still running, waiting again')
    console.log('then:', (await err.task.result({ timeoutMs: 120_000 })).outcome)
  }
})

// The agent failing is an error too, with the service's code.
if (common.onSimulator) {
  // (the simulator can be told to fail; the service cannot)
  try {
    await client.runTask({ taskDetails: common.task('Open a page that never loads', '#sim fail=NAVIGATION_TIMEOUT') })
  } catch (err) {
    if (!(err instanceof TaskFailedError)) throw err
    console.log(`task_failed: ${err.serverCode}`)
  }
}

// A wrong key: every error is an EnigmaError with `code`, `status`, `serverCode`, ...
const bad = await common.client({ apiKey: 'enig_revoked' + '0'.repeat(24) })
try {
  await bad.runTask({ taskDetails: 'Anything' })
} catch (err) {
  if (err instanceof AuthenticationError) console.log(`authentication: status=${err.status}`)
  else if (err instanceof EnigmaError) console.log(`${err.code}: ${err.message}`) // the base class
  else throw err
}
await common.done()
