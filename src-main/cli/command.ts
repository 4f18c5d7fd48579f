import type { Writable } from 'node:stream'

export interface CliIo {
  stdout: Writable
  stderr: Writable
  stdin: NodeJS.ReadableStream
  env: NodeJS.ProcessEnv
  /** Aborted on Ctrl-C or SIGTERM so long-running commands can clean up. */
  signal: AbortSignal
}

/** Exit codes shared by every command: 0 success, 1 the thing checked is not OK, 2 could not run. */
export const EXIT_OK = 0
export const EXIT_FAIL = 1
export const EXIT_USAGE = 2

export interface CliCommand {
  /** Words that select it, e.g. ['metadata', 'inspect']. */
  path: string[]
  usage: string
  summary: string
  run(args: string[], io: CliIo): Promise<number>
}

/**
 * What the command list holds: enough to print help and pick the command, and how to load it.
 * Loading on demand keeps `scim-console --help` from importing every service.
 */
export interface CliCommandEntry {
  path: string[]
  usage: string
  summary: string
  load(): Promise<CliCommand>
}
