#!/usr/bin/env node
// Packs the npm tarballs (`npm pack` output) of the main package and of platform packages:
//
//   node scripts/pack.js --out DIR [--main] [--platform NAME --addon FILE]...
//
// --main packs enigma-click as published: the JS, the types and the loader, with every platform
// package as an exact-version optionalDependency, and no install script (nothing compiles on a
// user's machine). Each --platform/--addon pair packs @enigma-click/NAME with that one .node
// file. Each package is staged in a temporary folder first, so the tarballs hold exactly what
// the manifests say, and each gets the license texts of the repository's root (LICENSE-MIT,
// LICENSE-APACHE). Prints the tarball paths.
'use strict'
const { execFileSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { platforms, addonFileName } = require('../lib/platforms')
const { LICENSE_FILES, mainManifestForPublish, checkVersions } = require('./versions')

const nodeDir = path.resolve(__dirname, '..')
const rootDir = path.resolve(nodeDir, '..')

/** Copies the license texts (the repository root's) into a staged package. */
function copyLicenses(d) {
  for (const file of LICENSE_FILES) fs.copyFileSync(path.join(rootDir, file), path.join(d, file))
}

function parseArgs(argv) {
  const args = { out: null, main: false, platforms: [] }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--out') args.out = path.resolve(argv[++i])
    else if (arg === '--main') args.main = true
    else if (arg === '--platform') args.platforms.push({ name: argv[++i], addon: null })
    else if (arg === '--addon' && args.platforms.length > 0) args.platforms.at(-1).addon = path.resolve(argv[++i])
    else throw new Error(`pack.js: unexpected argument ${arg}`)
  }
  if (!args.out) throw new Error('pack.js: --out DIR is required')
  for (const p of args.platforms) {
    if (!platforms.some((known) => known.name === p.name)) throw new Error(`pack.js: unknown platform ${p.name}`)
    if (!p.addon || !fs.existsSync(p.addon)) throw new Error(`pack.js: --platform ${p.name} needs --addon FILE (an existing .node)`)
  }
  return args
}

function npmPack(stage, out) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  const report = JSON.parse(
    execFileSync(npm, ['pack', '--json', '--pack-destination', out], { cwd: stage, encoding: 'utf8', shell: process.platform === 'win32' }),
  )
  return path.join(out, report[0].filename)
}

function stage(fill) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'enigma-click-pack-'))
  try {
    fill(dir)
    return dir
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true })
    throw err
  }
}

function packMain(out) {
  const main = JSON.parse(fs.readFileSync(path.join(nodeDir, 'package.json'), 'utf8'))
  const dir = stage((d) => {
    for (const entry of [...main.files, 'README.md'].filter((e) => !LICENSE_FILES.includes(e))) {
      fs.cpSync(path.join(nodeDir, entry), path.join(d, entry), { recursive: true })
    }
    copyLicenses(d)
    fs.writeFileSync(path.join(d, 'package.json'), `${JSON.stringify(mainManifestForPublish(main), null, 2)}\n`)
  })
  try {
    return npmPack(dir, out)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

function packPlatform(name, addon, out) {
  const platform = platforms.find((p) => p.name === name)
  const dir = stage((d) => {
    const manifest = JSON.parse(fs.readFileSync(path.join(nodeDir, 'npm', name, 'package.json'), 'utf8'))
    fs.writeFileSync(path.join(d, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`)
    fs.writeFileSync(
      path.join(d, 'README.md'),
      `# ${manifest.name}\n\nThe ${name} native addon of [enigma-click](https://www.npmjs.com/package/enigma-click). ` +
        'Install `enigma-click`: npm picks this package for you.\n',
    )
    fs.copyFileSync(addon, path.join(d, addonFileName(platform)))
    copyLicenses(d)
  })
  try {
    return npmPack(dir, out)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

if (require.main === module) {
  const args = parseArgs(process.argv.slice(2))
  const drift = checkVersions()
  if (drift.length > 0) {
    for (const p of drift) console.error(p)
    console.error('pack.js: versions drifted; run `node node/scripts/versions.js --write`')
    process.exit(1)
  }
  fs.mkdirSync(args.out, { recursive: true })
  if (args.main) console.log(packMain(args.out))
  for (const p of args.platforms) console.log(packPlatform(p.name, p.addon, args.out))
}

module.exports = { packMain, packPlatform }
