// ESM entry of enigma-click/testing (same objects as lib/testing.js).
import { createRequire } from 'node:module'

const cjs = createRequire(import.meta.url)('./lib/testing.js')

export const { startSimulator, Simulator } = cjs
export default cjs
