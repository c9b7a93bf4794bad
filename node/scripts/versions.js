#!/usr/bin/env node
// One version for everything: the workspace's `[workspace.package] version` in Cargo.toml.
// The Rust crates inherit it, maturin gives it to the Python package (pyproject `dynamic`), and
// this script writes it into every npm manifest: node/package.json (+ its lock file) and the
// platform packages in node/npm/<platform>/package.json, which it generates whole from
// lib/platforms.js. The main package's exact-version optionalDependencies are added when it is
// packed (mainManifestForPublish), as napi-rs's prepublish does: a committed optionalDependencies
// on packages not yet on the registry would break `npm ci` ("Missing: ... from lock file").
//
//   node scripts/versions.js --check   exit 1 and name every file that drifted
//   node scripts/versions.js --write   bring them all in step
'use strict'
const fs = require('node:fs')
const path = require('node:path')
const { platforms, packageName, addonFileName } = require('../lib/platforms')

const DEFAULT_ROOT = path.resolve(__dirname, '..', '..')

/** The workspace version from Cargo.toml (the one place a version is written). */
function workspaceVersion(root) {
  const toml = fs.readFileSync(path.join(root, 'Cargo.toml'), 'utf8')
  const section = toml.split(/^\[workspace\.package\]\s*$/m)[1]
  const match = section && section.split(/^\[/m)[0].match(/^version\s*=\s*"([^"]+)"/m)
  if (!match) throw new Error(`no [workspace.package] version in ${path.join(root, 'Cargo.toml')}`)
  return match[1]
}

/** The license texts every package carries (copied from the repository's root when packed). */
const LICENSE_FILES = ['LICENSE-MIT', 'LICENSE-APACHE']

/** The whole package.json of one platform package. */
function platformManifest(platform, version, main) {
  return {
    name: packageName(platform),
    version,
    description: `The ${platform.name} native addon of enigma-click (install enigma-click, not this).`,
    license: main.license,
    repository: { ...main.repository, directory: `node/npm/${platform.name}` },
    engines: main.engines,
    os: [platform.os],
    cpu: [platform.cpu],
    ...(platform.libc ? { libc: [platform.libc] } : {}),
    main: addonFileName(platform),
    files: [addonFileName(platform), ...LICENSE_FILES],
  }
}

/** node/package.json as published: with every platform package as an exact optional dependency. */
function mainManifestForPublish(main) {
  const { devDependencies, scripts, ...rest } = main
  const optionalDependencies = Object.fromEntries(platforms.map((p) => [packageName(p), main.version]))
  return { ...rest, optionalDependencies }
}

const json = (value) => `${JSON.stringify(value, null, 2)}\n`
const read = (file) => JSON.parse(fs.readFileSync(file, 'utf8'))

/** Every file this script owns, with the content it should have. */
function expectedFiles(root) {
  const version = workspaceVersion(root)
  const mainFile = path.join(root, 'node', 'package.json')
  const main = read(mainFile)
  const files = [[mainFile, json({ ...main, version })]]
  const lockFile = path.join(root, 'node', 'package-lock.json')
  if (fs.existsSync(lockFile)) {
    const lock = read(lockFile)
    lock.version = version
    if (lock.packages?.['']) lock.packages[''].version = version
    files.push([lockFile, json(lock)])
  }
  for (const platform of platforms) {
    const file = path.join(root, 'node', 'npm', platform.name, 'package.json')
    files.push([file, json(platformManifest(platform, version, main))])
  }
  return { version, files }
}

/** The files that drifted from the workspace version: [] when all are in step. */
function checkVersions(root = DEFAULT_ROOT) {
  const { version, files } = expectedFiles(root)
  const problems = []
  for (const [file, content] of files) {
    const actual = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null
    if (actual !== content) {
      const found = actual === null ? 'missing' : `version ${JSON.parse(actual).version}`
      problems.push(`${path.relative(root, file)}: not in step with the workspace version ${version} (${found})`)
    }
  }
  const npmDir = path.join(root, 'node', 'npm')
  for (const dir of fs.existsSync(npmDir) ? fs.readdirSync(npmDir) : []) {
    if (!platforms.some((p) => p.name === dir)) problems.push(`node/npm/${dir}: not a platform of lib/platforms.js`)
  }
  const pyproject = fs.readFileSync(path.join(root, 'python', 'pyproject.toml'), 'utf8')
  const project = pyproject.split(/^\[project\]\s*$/m)[1]?.split(/^\[/m)[0] ?? ''
  if (/^version\s*=/m.test(project) || !/^dynamic\s*=\s*\[[^\]]*"version"/m.test(project)) {
    problems.push('python/pyproject.toml: must take its version from Cargo.toml (dynamic = ["version"], no version =)')
  }
  return problems
}

function writeVersions(root = DEFAULT_ROOT) {
  const { version, files } = expectedFiles(root)
  for (const [file, content] of files) {
    fs.mkdirSync(path.dirname(file), { recursive: true })
    fs.writeFileSync(file, content)
  }
  return version
}

module.exports = { LICENSE_FILES, workspaceVersion, platformManifest, mainManifestForPublish, checkVersions, writeVersions }

if (require.main === module) {
  if (process.argv.includes('--write')) {
    console.log(`every package is at ${writeVersions()}`)
  } else {
    const problems = checkVersions()
    for (const p of problems) console.error(p)
    if (problems.length > 0) {
      console.error('run `node node/scripts/versions.js --write` to bring them in step')
      process.exit(1)
    }
    console.log(`every package is at ${workspaceVersion(DEFAULT_ROOT)}`)
  }
}
