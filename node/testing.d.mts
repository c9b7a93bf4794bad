// Types of the ESM entry enigma-click/testing (testing.mjs): testing.d.ts, as an ES module.
import * as cjs from './testing.js'

export * from './testing.js'
export default cjs
