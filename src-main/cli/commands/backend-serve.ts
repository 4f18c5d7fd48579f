import { AppError } from '../../../src-shared/errors.ts'
import {
  runBackendServe,
  SERVE_OPTIONS,
  SERVE_USAGE,
  UsageError,
  type ServeFlags,
} from '../../../src-server/launcher/serve-command.ts'
import type { CliCommand } from '../command.ts'
import { parseOptions, usageError } from '../parse-options.ts'

export const backendServeCommand: CliCommand = {
  path: ['backend', 'serve'],
  usage: SERVE_USAGE,
  summary: 'Run the reference hosted backend (SCIM 2.0 + admin API) on node:sqlite',
  async run(args, io) {
    const { values } = parseOptions<ServeFlags>(args, SERVE_OPTIONS, SERVE_USAGE)
    try {
      return await runBackendServe(values, io)
    } catch (err) {
      if (err instanceof UsageError) throw usageError(err.message, SERVE_USAGE)
      if ((err as { code?: string }).code === 'EADDRINUSE') {
        throw new AppError('cli.usage', 'The port is already in use.', {
          hint: 'Pick another --port, or --port 0 for a free one.',
        })
      }
      throw err
    }
  },
}
