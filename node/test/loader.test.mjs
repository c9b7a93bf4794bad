// The loader: the right platform package, and errors that say what to do (never a bare
// MODULE_NOT_FOUND, never a crash) when no addon fits or a file is damaged.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const { loadAddon, detectLibc, ERROR_CODE } = require('../lib/loader.js')
const { version } = require('../package.json')
const sourceBuild = path.resolve(import.meta.dirname, '..', 'build', 'enigma.node')
const onLinuxX64 = process.platform === 'linux' && process.arch === 'x64' && detectLibc() === 'glibc'

function tempDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'enigma-loader-'))
}

/** node_modules/@enigma-click/<name> under dir, holding a copy of `addon`, at `pkgVersion`. */
function fakeInstall(dir, name, addon, pkgVersion = version) {
  const pkg = path.join(dir, 'node_modules', '@enigma-click', name)
  fs.mkdirSync(pkg, { recursive: true })
  fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: `@enigma-click/${name}`, version: pkgVersion }))
  if (addon) fs.copyFileSync(addon, path.join(pkg, `enigma.${name}.node`))
  return pkg
}

test('libc detection agrees with what Node reports about itself', { skip: process.platform !== 'linux' }, () => {
  const runtime = process.report.getReport().header.glibcVersionRuntime
  assert.equal(detectLibc(), runtime ? 'glibc' : 'musl')
  assert.equal(detectLibc('darwin'), null)
})

test('no prebuilt addon for the platform: the error names it, its libc, and how to build from source', () => {
  assert.throws(
    () => loadAddon({ platform: 'linux', arch: 'riscv64', libc: 'musl', sourceBuild: null, env: {} }),
    (err) => {
      assert.equal(err.code, ERROR_CODE)
      assert.match(err.message, /no prebuilt native addon for this platform: linux-riscv64 \(libc: musl\)/)
      assert.match(err.message, /linux-x64-gnu, linux-arm64-gnu, linux-x64-musl, darwin-x64, darwin-arm64, win32-x64-msvc/)
      assert.match(err.message, /npm ci && npm run build:release/)
      assert.match(err.message, /https:\/\/rustup\.rs/)
      assert.doesNotMatch(err.message, /MODULE_NOT_FOUND|Cannot find module/)
      return true
    },
  )
})

test('a supported platform whose package npm left out: the error names the package and the fix', () => {
  const dir = tempDir()
  try {
    assert.throws(
      () => loadAddon({ platform: 'darwin', arch: 'arm64', sourceBuild: null, env: {}, paths: [dir] }),
      (err) =>
        err.code === ERROR_CODE &&
        err.message.includes(`@enigma-click/darwin-arm64@${version}, which is not installed`) &&
        err.message.includes(`npm install @enigma-click/darwin-arm64@${version}`) &&
        err.cause?.code === 'MODULE_NOT_FOUND',
    )
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

test('the platform package is found and loaded', { skip: !onLinuxX64 || !fs.existsSync(sourceBuild) }, () => {
  const dir = tempDir()
  try {
    fakeInstall(dir, 'linux-x64-gnu', sourceBuild)
    const addon = loadAddon({ platform: 'linux', arch: 'x64', libc: 'glibc', sourceBuild: null, env: {}, paths: [dir] })
    assert.equal(typeof addon.NativeClient, 'function')
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

test('a platform package of another version is refused, naming both versions', () => {
  const dir = tempDir()
  try {
    const pkg = fakeInstall(dir, 'linux-x64-gnu', null, '0.0.0-other')
    assert.throws(
      () => loadAddon({ platform: 'linux', arch: 'x64', libc: 'glibc', sourceBuild: null, env: {}, paths: [dir] }),
      (err) =>
        err.code === ERROR_CODE &&
        err.message.includes(`enigma-click ${version} needs @enigma-click/linux-x64-gnu@${version}`) &&
        err.message.includes('@enigma-click/linux-x64-gnu@0.0.0-other is installed') &&
        err.message.includes(pkg),
    )
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

/** Runs `require('enigma-click')` in a child with ENIGMA_NODE_ADDON pointing at `file`. */
function requireWithAddon(file) {
  return spawnSync(process.execPath, ['-e', "require('enigma-click')"], {
    cwd: path.resolve(import.meta.dirname, '..'),
    env: { ...process.env, ENIGMA_NODE_ADDON: file },
    encoding: 'utf8',
  })
}

test('a corrupt .node file: an error naming the file, and no crash', () => {
  const dir = tempDir()
  try {
    const garbage = path.join(dir, 'garbage.node')
    fs.writeFileSync(garbage, Buffer.from('this is not a shared library\n'.repeat(100)))
    const run = requireWithAddon(garbage)
    assert.equal(run.signal, null)
    assert.equal(run.status, 1)
    assert.match(run.stderr, new RegExp(`enigma-click: cannot load the native addon ${garbage.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`))
    assert.match(run.stderr, /it is not an ELF shared library|damaged or was built for another platform/)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

test('a truncated copy of the real addon: an error naming the file, and no crash', { skip: !fs.existsSync(sourceBuild) }, () => {
  const dir = tempDir()
  try {
    const truncated = path.join(dir, 'truncated.node')
    fs.writeFileSync(truncated, fs.readFileSync(sourceBuild).subarray(0, 8192))
    const run = requireWithAddon(truncated)
    assert.equal(run.signal, null)
    assert.equal(run.status, 1)
    assert.ok(run.stderr.includes(`cannot load the native addon ${truncated}`), run.stderr)
    assert.match(run.stderr, /it is truncated \(8192 bytes/)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

test('ENIGMA_NODE_ADDON naming a missing file says so', () => {
  const run = requireWithAddon('/nonexistent/enigma.node')
  assert.equal(run.status, 1)
  assert.match(run.stderr, /ENIGMA_NODE_ADDON names \/nonexistent\/enigma.node, which does not exist/)
})

test('an addon built for another architecture: an error naming the file and both architectures', { skip: !onLinuxX64 || !fs.existsSync(sourceBuild) }, () => {
  const dir = tempDir()
  try {
    // The real addon with its ELF e_machine set to AArch64 (183), as an arm64 build would have.
    const other = path.join(dir, 'arm64.node')
    const bytes = Buffer.from(fs.readFileSync(sourceBuild))
    bytes.writeUInt16LE(183, 18)
    fs.writeFileSync(other, bytes)
    const run = requireWithAddon(other)
    assert.equal(run.signal, null)
    assert.equal(run.status, 1)
    assert.ok(run.stderr.includes(`cannot load the native addon ${other}`), run.stderr)
    assert.match(run.stderr, /it was built for arm64, not x64 \(this machine: linux-x64/)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

test('a macOS or Windows addon on Linux is named as such', { skip: process.platform !== 'linux' }, () => {
  const dir = tempDir()
  try {
    const macho = path.join(dir, 'darwin.node')
    const header = Buffer.alloc(4096)
    header.writeUInt32BE(0xcffaedfe, 0)
    fs.writeFileSync(macho, header)
    const run = requireWithAddon(macho)
    assert.equal(run.status, 1)
    assert.match(run.stderr, /it is not an ELF shared library \(it is a macOS one\)/)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

test('header checks for macOS and Windows addons name the architecture they were built for', () => {
  const { binaryProblem } = require('../lib/binary-check.js')
  const dir = tempDir()
  try {
    const macho = path.join(dir, 'macho.node')
    const m = Buffer.alloc(4096)
    m.writeUInt32BE(0xcffaedfe, 0) // MH_MAGIC_64, little-endian
    m.writeUInt32LE(0x0100000c, 4) // CPU_TYPE_ARM64
    fs.writeFileSync(macho, m)
    assert.equal(binaryProblem(macho, 'darwin', 'arm64'), null)
    assert.equal(binaryProblem(macho, 'darwin', 'x64'), 'it was built for arm64, not x64')
    assert.equal(binaryProblem(macho, 'win32', 'x64'), 'it is not a Windows DLL (it is a macOS one)')

    const pe = path.join(dir, 'pe.node')
    const p = Buffer.alloc(4096)
    p.write('MZ', 0, 'latin1')
    p.writeUInt32LE(128, 60) // e_lfanew
    p.writeUInt32BE(0x50450000, 128) // "PE\0\0"
    p.writeUInt16LE(0x8664, 132) // IMAGE_FILE_MACHINE_AMD64
    fs.writeFileSync(pe, p)
    assert.equal(binaryProblem(pe, 'win32', 'x64'), null)
    assert.equal(binaryProblem(pe, 'win32', 'arm64'), 'it was built for x64, not arm64')
    assert.equal(binaryProblem(pe, 'linux', 'x64'), 'it is not an ELF shared library (it is a Windows one)')
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})
