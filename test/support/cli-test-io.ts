import { PassThrough, Writable } from 'node:stream'
import type { CliIo } from '../../src-main/cli/command.ts'
import { main } from '../../src-main/cli/main.ts'

function collector(): { stream: Writable; text: () => string } {
  // Bytes, decoded once at the end: a UTF-8 character split across two writes stays whole.
  const chunks: Buffer[] = []
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      chunks.push(Buffer.from(chunk))
      done()
    },
  })
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') }
}

/**
 * Collects what a command writes, for tests that call `main()` in-process. Without `env` the
 * command sees `process.env`, as it would from a shell.
 */
export function captureIo(
  env?: NodeJS.ProcessEnv,
  stdinText = '',
): {
  io: Partial<CliIo>
  out: () => string
  err: () => string
} {
  const stdout = collector()
  const stderr = collector()
  const stdin = new PassThrough()
  stdin.end(stdinText)
  return {
    io: {
      ...(env ? { env } : {}),
      stdin,
      stdout: stdout.stream,
      stderr: stderr.stream,
    },
    out: stdout.text,
    err: stderr.text,
  }
}

/** Runs one command line in-process and returns its exit code and output. */
export async function runCli(
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; stdin?: string; signal?: AbortSignal } = {},
): Promise<{ code: number; out: string; err: string }> {
  const c = captureIo(opts.env, opts.stdin)
  const code = await main(args, { ...c.io, ...(opts.signal ? { signal: opts.signal } : {}) })
  return { code, out: c.out(), err: c.err() }
}
