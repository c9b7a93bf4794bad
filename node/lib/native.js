'use strict'
// Loads the native addon built by scripts/build.js (`npm install` / `npm run build`).
const path = require('node:path')

const file = path.join(__dirname, '..', 'build', 'enigma.node')
try {
  module.exports = require(file)
} catch (err) {
  const e = new Error(
    `enigma-click: cannot load the native addon ${file} (${err.message}). ` +
      'Build it with `npm run build` in the package directory (Rust and cargo are required).',
  )
  e.cause = err
  throw e
}
