// The package's declarations as one text: a .d.ts file followed by the files it re-exports
// (`export * from './lib/generated/types'`: the types generated from the core's), so a test
// finds a declaration wherever the package keeps it.
import fs from 'node:fs'
import path from 'node:path'

export function declarations(pkg, file) {
  const text = fs.readFileSync(path.join(pkg, file), 'utf8')
  const reexported = [...text.matchAll(/^export \* from '(\.[^']+)'/gm)].map((m) =>
    declarations(pkg, path.join(path.dirname(file), `${m[1]}.d.ts`)),
  )
  return [text, ...reexported].join('\n')
}
