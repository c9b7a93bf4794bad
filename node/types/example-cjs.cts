// Type test for CommonJS consumers.
import enigma = require('enigma-click')
import testing = require('enigma-click/testing')

async function main(): Promise<void> {
  const sim = await testing.startSimulator()
  const client = new enigma.Client({ baseUrl: sim.url, apiKey: 'enig_x' })
  const r: enigma.TaskResult = await client.runTask({ taskDetails: 'x' })
  console.log(r.outcome, enigma.version)
  await sim.shutdown()
}
void main()
