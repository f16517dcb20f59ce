import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as sass from 'sass'

// Builds public/assets from assets/ and the design system packages: our Sass compiled with a system
// font stack (the GDS Transport font and the crown are for GOV.UK only), and the scripts copied.
// Skips the work when nothing changed since the last build, so `npm start` stays quick.

const root = fileURLToPath(new URL('..', import.meta.url))
const out = join(root, 'public/assets')
const force = process.argv.includes('--force')

const scripts: [string, string][] = [
  ['node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js', 'govuk-frontend.min.js'],
]

function newest(dir: string): number {
  let latest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs)
  }
  return latest
}

const css = join(out, 'app.css')
const sources = Math.max(newest(join(root, 'assets')), statSync(join(root, 'package-lock.json')).mtimeMs)
if (!force && existsSync(css) && statSync(css).mtimeMs >= sources) process.exit(0)

mkdirSync(out, { recursive: true })
const compiled = sass.compile(join(root, 'assets/scss/app.scss'), {
  loadPaths: [root, join(root, 'node_modules')],
  style: 'compressed',
  quietDeps: true,
  silenceDeprecations: ['import'],
})
writeFileSync(css, compiled.css)
for (const [from, to] of scripts) copyFileSync(join(root, from), join(out, to))
for (const file of readdirSync(join(root, 'assets/js')))
  copyFileSync(join(root, 'assets/js', file), join(out, file))
copyFileSync(join(root, 'assets/favicon.svg'), join(out, 'favicon.svg'))
console.log(`assets built in ${out}`)
