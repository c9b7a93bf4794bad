// One version: the workspace's Cargo.toml version is in every npm manifest and the pyproject
// takes it from there; the check fails on drift.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const { checkVersions, writeVersions, workspaceVersion, mainManifestForPublish } = require('../scripts/versions.js')
const { platforms } = require('../lib/platforms.js')
const root = path.resolve(import.meta.dirname, '..', '..')

/** A copy of the files the version check reads, in a temporary folder. */
function copyOfRepo() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'enigma-versions-'))
  for (const file of ['Cargo.toml', 'node/package.json', 'node/package-lock.json', 'python/pyproject.toml', 'node/npm']) {
    fs.cpSync(path.join(root, file), path.join(dir, file), { recursive: true })
  }
  return dir
}

test('every package of the repo is at the workspace version', () => {
  assert.deepEqual(checkVersions(root), [])
  const version = workspaceVersion(root)
  assert.equal(require('../package.json').version, version)
  for (const p of platforms) assert.equal(require(`../npm/${p.name}/package.json`).version, version, p.name)
})

test('a version bump in Cargo.toml alone is drift in every manifest, and --write repairs it', () => {
  const dir = copyOfRepo()
  try {
    const cargo = path.join(dir, 'Cargo.toml')
    fs.writeFileSync(cargo, fs.readFileSync(cargo, 'utf8').replace(/^version = "[^"]+"/m, 'version = "9.8.7"'))
    const problems = checkVersions(dir)
    const named = problems.map((p) => p.split(':')[0]).sort()
    const expected = ['node/package.json', 'node/package-lock.json', ...platforms.map((p) => `node/npm/${p.name}/package.json`)]
    assert.deepEqual(named, expected.sort())
    assert.ok(problems.every((p) => p.includes('9.8.7')))

    assert.equal(writeVersions(dir), '9.8.7')
    assert.deepEqual(checkVersions(dir), [])
    const main = JSON.parse(fs.readFileSync(path.join(dir, 'node/package.json'), 'utf8'))
    assert.equal(main.version, '9.8.7')
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

test('a platform package edited by hand, or a version written into the pyproject, is drift', () => {
  const dir = copyOfRepo()
  try {
    const file = path.join(dir, 'node/npm/linux-x64-gnu/package.json')
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8'))
    fs.writeFileSync(file, JSON.stringify({ ...manifest, version: '0.0.1' }, null, 2) + '\n')
    const pyproject = path.join(dir, 'python/pyproject.toml')
    fs.writeFileSync(
      pyproject,
      fs.readFileSync(pyproject, 'utf8').replace('dynamic = ["version"]', 'version = "0.0.1"'),
    )
    const problems = checkVersions(dir)
    assert.equal(problems.length, 2, problems.join('\n'))
    assert.match(problems[0], /^node\/npm\/linux-x64-gnu\/package.json: .*\(version 0\.0\.1\)/)
    assert.match(problems[1], /^python\/pyproject.toml/)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

test('the published main manifest pins every platform package exactly and has no install script', () => {
  const main = require('../package.json')
  const published = mainManifestForPublish(main)
  assert.deepEqual(
    published.optionalDependencies,
    Object.fromEntries(platforms.map((p) => [`@enigma-click/${p.name}`, main.version])),
  )
  assert.equal(published.scripts, undefined)
  assert.equal(main.scripts.install, undefined)
  assert.equal(main.scripts.postinstall, undefined)
  assert.equal(main.scripts.preinstall, undefined)
})

test('each platform package holds one .node file and carries os, cpu and libc fields', () => {
  for (const p of platforms) {
    const manifest = require(`../npm/${p.name}/package.json`)
    assert.deepEqual(manifest.files, [`enigma.${p.name}.node`, 'LICENSE-MIT', 'LICENSE-APACHE'])
    assert.equal(manifest.main, `enigma.${p.name}.node`)
    assert.deepEqual(manifest.os, [p.os])
    assert.deepEqual(manifest.cpu, [p.cpu])
    assert.deepEqual(manifest.libc, p.libc ? [p.libc] : undefined)
  }
})
