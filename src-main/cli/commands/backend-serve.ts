import { AppError } from '../../../src-shared/errors.ts'
import {
  runBackendServe,
  SERVE_USAGE,
  UsageError,
} from '../../../src-server/launcher/serve-command.ts'
import type { CliCommand } from '../command.ts'

export const backendServeCommand: CliCommand = {
  path: ['backend', 'serve'],
  usage: SERVE_USAGE,
  summary: 'Run the reference hosted backend (SCIM 2.0 + admin API) on node:sqlite',
  async run(args, io) {
    try {
      return await runBackendServe(args, io)
    } catch (err) {
      if (
        err instanceof UsageError ||
        (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
      ) {
        throw new AppError('cli.usage', (err as Error).message, {
          hint: `Usage: scim-console ${SERVE_USAGE}`,
        })
      }
      if ((err as { code?: string }).code === 'EADDRINUSE') {
        throw new AppError('cli.usage', 'The port is already in use.', {
          hint: 'Pick another --port, or --port 0 for a free one.',
        })
      }
      throw err
    }
  },
}
