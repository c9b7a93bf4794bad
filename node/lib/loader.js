'use strict'
// Finds and loads the native addon, the napi-rs way: the main package holds no binary; npm
// installs the one platform package (`@enigma-click/<platform>`) whose os/cpu/libc fields match
// this machine. Every failure is an Error naming what was looked for and what to do, never a
// bare MODULE_NOT_FOUND; a file that is there but does not load is named in the error.
//
// Where the addon comes from, first match wins:
//   1. ENIGMA_NODE_ADDON=/path/to/enigma.node (an explicit file; nothing else is tried);
//   2. build/enigma.node beside this package: a source checkout after `npm run build`;
//   3. the platform package.
const fs = require('node:fs')
const path = require('node:path')
const { platforms, packageName, addonFileName } = require('./platforms')
const { binaryProblem } = require('./binary-check')

const SOURCE_BUILD = path.join(__dirname, '..', 'build', 'enigma.node')
const REPOSITORY = 'https://github.com/enigma-click/enigma-sdk'
const ERROR_CODE = 'ERR_ENIGMA_NATIVE_ADDON'

/** 'glibc' or 'musl' on Linux (what this Node binary runs on), null elsewhere. */
function detectLibc(platform = process.platform) {
  if (platform !== 'linux') return null
  // Cheapest first: glibc's ldd is a shell script, musl's mentions musl (as napi-rs checks).
  try {
    return fs.readFileSync('/usr/bin/ldd', 'utf8').includes('musl') ? 'musl' : 'glibc'
  } catch {
    // No ldd (a slim container): ask Node itself whether it runs on glibc.
  }
  const header = process.report?.getReport?.()?.header
  return header?.glibcVersionRuntime ? 'glibc' : 'musl'
}

/** The prebuilt platform for this machine, or undefined when there is none. */
function matchPlatform({ platform, arch, libc }) {
  return platforms.find((p) => p.os === platform && p.cpu === arch && (p.libc === null || p.libc === libc))
}

function describe({ platform, arch, libc }) {
  return `${platform}-${arch}${libc ? ` (libc: ${libc})` : ''}, Node ${process.version}`
}

function loadError(message, cause) {
  const error = new Error(`enigma-click: ${message}`)
  error.code = ERROR_CODE
  if (cause !== undefined) error.cause = cause
  return error
}

const BUILD_FROM_SOURCE =
  'Build the addon from a source checkout (Rust 1.88+ needed, from https://rustup.rs):\n' +
  `  git clone ${REPOSITORY} && cd enigma-sdk/node && npm ci && npm run build:release\n` +
  'then install that folder in your app (npm install /path/to/enigma-sdk/node), or set\n' +
  'ENIGMA_NODE_ADDON=/path/to/enigma-sdk/node/build/enigma.node.'

/** Loads one file; a failure (corrupt, wrong platform, not our addon) names the file. */
function loadFile(file, origin, target, requireFn) {
  const reinstall = 'Reinstall: delete node_modules and run npm install again.'
  const problem = binaryProblem(file, target.platform, target.arch)
  if (problem) {
    throw loadError(`cannot load the native addon ${file} (${origin}): ${problem} (this machine: ${describe(target)}). ${reinstall}`)
  }
  let addon
  try {
    addon = requireFn(file)
  } catch (err) {
    throw loadError(
      `cannot load the native addon ${file} (${origin}): ${err.message}\n` +
        `The file is damaged or was built for another platform than this one (${describe(target)}). ${reinstall}`,
      err,
    )
  }
  if (addon === null || typeof addon !== 'object' || typeof addon.NativeClient !== 'function') {
    throw loadError(
      `${file} (${origin}) loaded, but it is not enigma-click's native addon (no NativeClient export). ${reinstall}`,
    )
  }
  return addon
}

/**
 * Loads the addon for this machine. The options exist for tests (another platform, another
 * place to look); by default everything comes from `process`.
 */
function loadAddon(options = {}) {
  const env = options.env ?? process.env
  const requireFn = options.require ?? require
  const platform = options.platform ?? process.platform
  const arch = options.arch ?? process.arch
  const libc = options.libc !== undefined ? options.libc : detectLibc(platform)
  const target = { platform, arch, libc }
  const version = options.version ?? require('../package.json').version

  if (env.ENIGMA_NODE_ADDON) {
    const file = path.resolve(env.ENIGMA_NODE_ADDON)
    if (!fs.existsSync(file)) throw loadError(`ENIGMA_NODE_ADDON names ${file}, which does not exist.`)
    return loadFile(file, 'from ENIGMA_NODE_ADDON', target, requireFn)
  }

  const sourceBuild = options.sourceBuild !== undefined ? options.sourceBuild : SOURCE_BUILD
  if (sourceBuild && fs.existsSync(sourceBuild)) return loadFile(sourceBuild, 'a source build', target, requireFn)

  const match = matchPlatform(target)
  if (!match) {
    throw loadError(
      `no prebuilt native addon for this platform: ${describe(target)}.\n` +
        `Prebuilt addons exist for: ${platforms.map((p) => p.name).join(', ')}.\n` +
        BUILD_FROM_SOURCE,
    )
  }

  const name = packageName(match)
  let manifestFile
  try {
    manifestFile = requireFn.resolve(`${name}/package.json`, options.paths ? { paths: options.paths } : undefined)
  } catch (err) {
    throw loadError(
      `the native addon for ${match.name} comes in the package ${name}@${version}, which is not installed ` +
        `(this machine: ${describe(target)}).\n` +
        'npm installs it with enigma-click unless optional dependencies are omitted (--omit=optional), ' +
        'or a package-lock.json made on another platform left it out.\n' +
        `Fix: npm install ${name}@${version} (or delete node_modules and package-lock.json and run npm install).\n` +
        `Or: ${BUILD_FROM_SOURCE}`,
      err,
    )
  }
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'))
  const file = path.join(path.dirname(manifestFile), addonFileName(match))
  if (manifest.version !== version) {
    throw loadError(
      `enigma-click ${version} needs ${name}@${version}, but ${name}@${manifest.version} is installed ` +
        `(${path.dirname(manifestFile)}). Fix: npm install enigma-click@${version} ${name}@${version}`,
    )
  }
  if (!fs.existsSync(file)) {
    throw loadError(`${name}@${version} is installed but has no ${file}. Reinstall: delete node_modules and run npm install again.`)
  }
  return loadFile(file, `from ${name}@${version}`, target, requireFn)
}

module.exports = { loadAddon, detectLibc, matchPlatform, ERROR_CODE }
