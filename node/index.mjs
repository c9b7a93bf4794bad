// ESM entry of enigma-click: the same objects as the CommonJS entry (lib/index.js).
import { createRequire } from 'node:module'

const cjs = createRequire(import.meta.url)('./lib/index.js')

export const {
  Client,
  BatchRun,
  Session,
  Task,
  version,
  setLogger,
  EnigmaError,
  errorClasses,
} = cjs
export default cjs
// One class per core error code (generated from the core's list).
export * from './lib/generated/error_classes.mjs'
