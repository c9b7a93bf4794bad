// Types of the ESM entry (index.mjs): the same declarations as the CommonJS entry's index.d.ts,
// as an ES module, so that TypeScript (and attw) see ESM types for `import` and CJS types for
// `require`. The default export is the CommonJS module object, as in index.mjs.
import * as cjs from './index.js'

export * from './index.js'
export default cjs
