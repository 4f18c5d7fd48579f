import { PassThrough, Writable } from 'node:stream'
import type { CliIo } from '../command.ts'

/** Collects what a command writes, for tests that call `main()` in-process. */
export function captureIo(
  env: NodeJS.ProcessEnv,
  stdinText = '',
): {
  io: Partial<CliIo>
  out: () => string
  err: () => string
} {
  let stdout = ''
  let stderr = ''
  const stdin = new PassThrough()
  stdin.end(stdinText)
  return {
    io: {
      env,
      stdin,
      stdout: new Writable({
        write(chunk, _enc, done) {
          stdout += String(chunk)
          done()
        },
      }),
      stderr: new Writable({
        write(chunk, _enc, done) {
          stderr += String(chunk)
          done()
        },
      }),
    },
    out: () => stdout,
    err: () => stderr,
  }
}
