// Both module systems: `import` and `require` give the same objects.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import * as esm from 'enigma-click'
import * as esmTesting from 'enigma-click/testing'

const require = createRequire(import.meta.url)

test('ESM import and CommonJS require expose the same API', () => {
  const cjs = require('enigma-click')
  const cjsTesting = require('enigma-click/testing')
  for (const name of Object.keys(cjs)) assert.equal(esm[name], cjs[name], name)
  assert.equal(esmTesting.startSimulator, cjsTesting.startSimulator)
  assert.equal(typeof esm.Client, 'function')
  assert.equal(esm.default, cjs)
})
