// session.liveView(): the service's webViewURL and an HTML frame of the viewport's size, built
// by the core; readOnly makes a frame that takes no input.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startSim, makeClient } from './helpers.mjs'

let sim
before(async () => {
  sim = await startSim()
})
after(() => sim.shutdown())

test('the live view is the URL and a frame of 1024x600; read-only takes no input', async () => {
  const client = makeClient(sim)
  const session = await client.startSession()
  try {
    const view = session.liveView()
    assert.equal(view.url, session.liveViewUrl)
    assert.equal(view.readOnly, false)
    assert.match(view.html, /<iframe src="[^"]+\/live\/[a-z0-9]{12}" width="1024" height="600"/)
    assert.doesNotMatch(view.html, /pointer-events:none/)
    const quiet = session.liveView({ readOnly: true })
    assert.equal(quiet.readOnly, true)
    assert.match(quiet.html, /pointer-events:none/)
    assert.match(quiet.html, /sandbox="allow-scripts allow-same-origin"/)
    assert.match(quiet.html, /enigma-live-view-shield/)
    assert.equal(client.session(session.id).liveView(), null, 'a re-attached handle has no start answer')
  } finally {
    await session.terminate()
  }
})
