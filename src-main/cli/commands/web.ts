import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { AppError } from '../../../src-shared/errors.ts'
import { RendererEvents } from '../../renderer-events.ts'
import { createLogger } from '../../logger.ts'
import { openMainContext } from '../../main-context.ts'
import { browserPlatform, createDispatcher, createHandlers } from '../../dispatcher.ts'
import { startWebHost } from '../../web-host/web-host.ts'
import { EXIT_OK, EXIT_USAGE, type CliCommand } from '../command.ts'

const defaultRendererDir = resolve(import.meta.dirname, '../../../out/renderer')

export const webCommand: CliCommand = {
  path: ['web'],
  usage: 'web [--port N] [--renderer-dir DIR] [--data DIR]',
  summary:
    'Serve the built UI and the services on 127.0.0.1 for a browser (token in the printed URL)',
  async run(args, io) {
    let values: { port?: string; 'renderer-dir'?: string; data?: string }
    try {
      values = parseArgs({
        args,
        options: {
          port: { type: 'string' },
          'renderer-dir': { type: 'string' },
          data: { type: 'string' },
        },
        strict: true,
        allowPositionals: false,
      }).values
    } catch (err) {
      throw new AppError('cli.usage', (err as Error).message, {
        hint: `Usage: scim-console ${this.usage}`,
      })
    }
    const port = values.port === undefined ? 0 : Number(values.port)
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new AppError(
        'cli.usage',
        `--port must be an integer from 0 to 65535, got "${values.port}".`,
        {
          hint: 'Use --port 0 (the default) for a free port.',
        },
      )
    }
    const rendererDir = resolve(values['renderer-dir'] ?? defaultRendererDir)
    if (!existsSync(resolve(rendererDir, 'index.html'))) {
      io.stderr.write(
        `cli.usage: no built renderer at ${rendererDir}.\nhint: run \`npx electron-vite build\` first (the web command builds nothing).\n`,
      )
      return EXIT_USAGE
    }

    // A fresh temporary data folder unless one is named: a browser session (or a test) never
    // picks up the desktop app's saved connections by accident.
    const dataDir = values.data
      ? resolve(values.data)
      : mkdtempSync(join(tmpdir(), 'scim-console-web-'))
    const context = await openMainContext({
      dataDir,
      env: io.env,
      platform: process.platform,
      runtime: { execPath: process.execPath },
    })

    const hub = new RendererEvents()
    const logger = createLogger({
      write: (line) => io.stderr.write(line),
      onRecord: (record) =>
        hub.emit('app.log', { time: record.time, level: record.level, msg: record.msg }),
    })
    const dispatch = createDispatcher({
      handlers: createHandlers({
        platform: browserPlatform,
        runtime: `node ${process.version} (web host)`,
        context,
        hub,
      }),
      logger,
    })
    const host = await startWebHost({ dispatch, hub, rendererDir, logger, port })
    io.stdout.write(
      `scim-console web host listening on ${host.origin}\nData folder: ${dataDir}\nOpen: ${host.pageUrl}\n`,
    )

    await new Promise<void>((r) => {
      if (io.signal.aborted) r()
      else io.signal.addEventListener('abort', () => r(), { once: true })
    })
    await host.close()
    await context.close()
    // A folder we made for this run goes with it; a named one is the person's to keep.
    if (!values.data) rmSync(dataDir, { recursive: true, force: true })
    return EXIT_OK
  },
}
