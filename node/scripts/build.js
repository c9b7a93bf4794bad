#!/usr/bin/env node
// Builds the native addon from source (crates/enigma-node) into build/enigma.node with
// @napi-rs/cli, for contributors: `npm run build` (or `build:release`) in a source checkout. The
// published package never runs this (it has no install script; the addon comes prebuilt in a
// platform package, see lib/loader.js), and lib/loader.js prefers build/enigma.node when present.
// It also writes napi's generated declarations to build/native.generated.d.ts
// (test/types.test.mjs checks them against the committed native.d.ts).
//
// Profile: release by default (what users run); debug, which compiles much faster, when the
// CI variable is set or ENIGMA_NODE_DEBUG_BUILD=1. `--release` or ENIGMA_NODE_RELEASE_BUILD=1
// forces release (benchmarks). CARGO_TARGET_DIR is honoured; by default the workspace's
// target/ is used, so CI reuses what `cargo test` already compiled.
'use strict'
const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')

const root = path.resolve(__dirname, '..')
const manifest = path.resolve(root, '../crates/enigma-node/Cargo.toml')

if (!fs.existsSync(manifest)) {
  console.error(`enigma-click: cannot build the native addon: ${manifest} not found (build from a source checkout)`)
  process.exit(1)
}

const on = (name) => ['1', 'true', 'yes'].includes(String(process.env[name] || '').toLowerCase())
const release =
  process.argv.includes('--release') || on('ENIGMA_NODE_RELEASE_BUILD') || !(on('CI') || on('ENIGMA_NODE_DEBUG_BUILD'))

const env = { ...process.env }
if (!env.CARGO_TARGET_DIR) env.CARGO_TARGET_DIR = path.resolve(root, '../target')

const napi = path.join(path.dirname(require.resolve('@napi-rs/cli/package.json')), 'dist', 'cli.js')
const args = [
  napi,
  'build',
  '--manifest-path', manifest,
  '--package-json-path', path.join(root, 'package.json'),
  '--output-dir', path.join(root, 'build'),
  '--dts', 'native.generated.d.ts',
  ...(release ? ['--release'] : []),
]
console.error(`enigma-click: building the native addon (${release ? 'release' : 'debug'}) ...`)
const run = spawnSync(process.execPath, args, { cwd: root, env, stdio: 'inherit' })
if (run.status !== 0) {
  console.error('enigma-click: the native build failed (Rust 1.88+ and cargo are required)')
  process.exit(run.status || 1)
}
