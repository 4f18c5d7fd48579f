// `scim-console backend serve` without the rest of the CLI: the same command code in a process of
// its own, which starts in a fraction of the CLI's time. The crash harness restarts the backend
// a thousand times, so that time is most of a long run.
import { parseArgs } from 'node:util'
import { runBackendServe, SERVE_OPTIONS } from '../../src-server/launcher/serve-command.ts'

const controller = new AbortController()
process.once('SIGINT', () => controller.abort())
const { values } = parseArgs({ args: process.argv.slice(2), options: SERVE_OPTIONS, strict: true })
process.exitCode = await runBackendServe(values, {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
})
