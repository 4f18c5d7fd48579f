#!/usr/bin/env node
// The headless front door. Node >= 22.12 runs the TypeScript sources directly (type stripping),
// so the CLI needs no build step after `npm ci`.
const [major, minor] = process.versions.node.split('.').map(Number)
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `scim-console needs Node.js 22.12 or newer; this is ${process.version}. Install a current Node (for example from the npm package node@24) and try again.\n`,
  )
  process.exit(2)
}
process.removeAllListeners('warning')
process.on('warning', (w) => {
  if (w.name !== 'ExperimentalWarning') process.stderr.write(`${w.name}: ${w.message}\n`)
})
const { main } = await import('../src-main/cli/main.ts')
process.exitCode = await main(process.argv.slice(2))
