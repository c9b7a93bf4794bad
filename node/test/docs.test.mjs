// Every ```js block of the user docs (README.md, python/README.md, node/README.md, docs/*.md)
// without a `<!-- not-run: reason -->` marker runs against an in-process simulator, with
// ENIGMA_API_KEY and ENIGMA_BASE_URL pointing at it. (python/tests/test_docs.py checks that
// every other block is marked, and runs the ```python ones.)
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { startSim, key } from './helpers.mjs'

const here = path.dirname(fileURLToPath(import.meta.url))
const pkg = path.resolve(here, '..')
const repo = path.resolve(pkg, '..')
const docs = [
  'README.md',
  'python/README.md',
  'node/README.md',
  ...fs.readdirSync(path.join(repo, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`),
]

/** The fenced ```js blocks of a Markdown file not marked `<!-- not-run: ... -->`. */
export function runnableJsBlocks(markdown) {
  const lines = markdown.split('\n')
  const blocks = []
  for (let i = 0; i < lines.length; i++) {
    const fence = lines[i].match(/^(```+|~~~+)\s*([\w+-]*)/)
    if (!fence) continue
    let end = i + 1
    while (end < lines.length && !lines[end].startsWith(fence[1])) end++
    let prev = i - 1
    while (prev >= 0 && lines[prev].trim() === '') prev--
    const marked = prev >= 0 && /^<!--\s*not-run:/.test(lines[prev].trim())
    if (fence[2] === 'js' && !marked) blocks.push({ line: i + 1, code: lines.slice(i + 1, end).join('\n') + '\n' })
    i = end
  }
  return blocks
}

test('the block finder skips marked blocks and other languages', () => {
  const md = "```js\na()\n```\n<!-- not-run: needs a key -->\n\n```js\nb()\n```\n```sh\nc\n```\n```js\nd()\n```\n"
  assert.deepEqual(runnableJsBlocks(md).map((b) => b.code.trim()), ['a()', 'd()'])
})

const all = docs.flatMap((file) => runnableJsBlocks(fs.readFileSync(path.join(repo, file), 'utf8')).map((b) => ({ file, ...b })))

test('the docs have js blocks to run', () => {
  assert.ok(all.length >= 4, `found ${all.length}`)
})

for (const block of all) {
  test(`${block.file}:${block.line} runs on the simulator`, async () => {
    // Inside the package, so that `import 'enigma-click'` resolves to it.
    fs.mkdirSync(path.join(pkg, '.tmp'), { recursive: true })
    const file = path.join(pkg, '.tmp', `doc-${process.pid}-${block.line}.mjs`)
    fs.writeFileSync(file, block.code)
    const sim = await startSim()
    try {
      const out = await new Promise((resolve) => {
        execFile(process.execPath, [file], { cwd: pkg, env: { ...process.env, ENIGMA_API_KEY: key(), ENIGMA_BASE_URL: sim.url }, timeout: 60_000 }, (error, stdout, stderr) =>
          resolve({ code: error ? (error.code ?? 1) : 0, stdout, stderr }),
        )
      })
      assert.equal(out.code, 0, `${out.stdout}\n${out.stderr}`)
      assert.equal(sim.stats().sessions.open, 0, 'a session was left open')
    } finally {
      fs.rmSync(file, { force: true })
      await sim.shutdown()
    }
  })
}
