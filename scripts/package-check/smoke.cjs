// CommonJS half of the npm smoke test: require() gives the same API as import.
const assert = require('node:assert/strict')
const enigma = require('enigma-click')
const testing = require('enigma-click/testing')
assert.equal(typeof enigma.Client, 'function')
assert.equal(typeof testing.startSimulator, 'function')
assert.equal(enigma.version, process.argv[2])
console.log('node smoke test passed (CJS)')
