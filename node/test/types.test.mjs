// Types: napi's generated declarations match the committed native.d.ts (drift check), the
// public index.d.ts declares every runtime export, and `tsc --noEmit` compiles real usage.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { declarations } from './declarations.mjs'

const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)
const read = (f) => fs.readFileSync(path.join(pkg, f), 'utf8')

test('the generated native declarations have not drifted from native.d.ts', () => {
  const generated = path.join(pkg, 'build/native.generated.d.ts')
  assert.ok(fs.existsSync(generated), 'the build writes build/native.generated.d.ts')
  assert.equal(
    read('build/native.generated.d.ts'),
    read('native.d.ts'),
    'native.d.ts is stale: copy build/native.generated.d.ts over it and update index.d.ts to match',
  )
})

test('the native module exports exactly what native.d.ts declares', () => {
  const native = require('../build/enigma.node')
  const declared = [...read('native.d.ts').matchAll(/^export declare (?:class|function) (\w+)/gm)].map((m) => m[1])
  assert.deepEqual(Object.keys(native).sort(), declared.sort())
})

test('index.d.ts and testing.d.ts declare every runtime export', () => {
  for (const [module, dts] of [['enigma-click', 'index.d.ts'], ['enigma-click/testing', 'testing.d.ts']]) {
    const text = declarations(pkg, dts)
    const declared = new Set([...text.matchAll(/^export declare (?:class|const|function) (\w+)/gm)].map((m) => m[1]))
    for (const name of Object.keys(require(module))) assert.ok(declared.has(name), `${dts} lacks ${name}`)
    for (const name of declared) assert.ok(name in require(module), `${dts} declares ${name}, which does not exist`)
  }
})

test('tsc --noEmit compiles the typed examples (ESM and CommonJS)', () => {
  tsc('typescript', 'types/tsconfig.json')
})

// A plain `tsc --strict --module nodenext` project must compile against our declarations with
// TypeScript 5.x and the latest, with or without @types/node and whatever its lib (the SDK's
// `AsyncDisposable` comes from disposable.d.ts, which merges with the lib's and @types/node's).
// TypeScript 5.x is slow (several seconds a project), so it gets the three that cover the
// combinations where it can fail: no @types/node with a lib without disposables, @types/node,
// and the merge with an esnext lib plus @types/node.
const configs = {
  typescript: ['plain-es2022', 'plain-node', 'using-node'],
  'typescript-latest': ['plain', 'plain-node', 'plain-es2022', 'using', 'using-node'],
}
for (const [compiler, list] of Object.entries(configs)) {
  for (const config of list) {
    test(`${compiler} compiles a ${config} project (types/tsconfig.${config}.json)`, () => {
      tsc(compiler, `types/tsconfig.${config}.json`)
    })
  }
}

function tsc(compiler, config) {
  const bin = path.join(pkg, 'node_modules', compiler, 'bin/tsc')
  try {
    execFileSync(process.execPath, [bin, '--noEmit', '-p', path.join(pkg, config)], { stdio: 'pipe' })
  } catch (err) {
    assert.fail(`${compiler} (${config}) failed:\n${err.stdout}${err.stderr}`)
  }
}

test('the option types of index.d.ts spell every core option field, and no other', () => {
  // The core's field lists (derived from its option structs), in Node's spelling.
  const fields = require('../build/enigma.node').optionFields()
  const text = read('index.d.ts')
  const keys = (name) => {
    const body = text.match(new RegExp(`^export interface ${name} [^{]*\\{\\n([\\s\\S]*?)^\\}`, 'm'))
    assert.ok(body, `index.d.ts has no interface ${name}`)
    return [...body[1].matchAll(/^  (\w+)\??:/gm)].map((m) => m[1]).sort()
  }
  assert.ok(fields.session.includes('maxDuration') && fields.wait.includes('timeoutMs'), JSON.stringify(fields))
  assert.deepEqual(keys('SessionOptions'), [...fields.session].sort())
  assert.deepEqual(keys('TaskOptions'), [...fields.task].sort())
  // `onStatus` is the JS callback of a wait; it never reaches the core.
  assert.deepEqual(keys('WaitOptions').filter((k) => k !== 'onStatus'), [...fields.wait].sort())
  // RunTaskOptions is declared from SessionOptions and WaitOptions, so it follows them.
  assert.match(text, /^export interface RunTaskOptions extends Omit<SessionOptions, 'taskDetails'>, Omit<WaitOptions, 'onStatus'>/m)
})
