import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { AppError } from '../../../src-shared/errors.ts'
import { createAppServices } from '../../app-services.ts'
import { createLogger } from '../../logger.ts'
import { createDispatcher } from '../../dispatcher.ts'
import { createHandlers } from '../../handlers/index.ts'
import { browserClipboard, browserDialogs } from '../../web-host/browser-platform.ts'
import { startWebHost } from '../../web-host/web-host.ts'
import { EXIT_OK, EXIT_USAGE, type CliCommand, type CliIo } from '../command.ts'
import { parseOptions } from '../parse-options.ts'

export const WEB_USAGE = 'web [--port N] [--renderer-dir DIR] [--data DIR]'

const defaultRendererDir = resolve(import.meta.dirname, '../../../out/renderer')

/**
 * `scim-console web`: the built UI and the services on 127.0.0.1 for a browser, until the CLI's
 * signal aborts (Ctrl-C or SIGTERM); then the services close and the embedded backend stops.
 */
export const webCommand: CliCommand = {
  path: ['web'],
  usage: WEB_USAGE,
  summary:
    'Serve the built UI and the services on 127.0.0.1 for a browser (token in the printed URL)',
  run: runWeb,
}

async function runWeb(args: string[], io: CliIo): Promise<number> {
  const { values } = parseOptions<{ port?: string; 'renderer-dir'?: string; data?: string }>(
    args,
    {
      port: { type: 'string' },
      'renderer-dir': { type: 'string' },
      data: { type: 'string' },
    },
    WEB_USAGE,
  )
  const port = values.port === undefined ? 0 : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new AppError(
      'cli.usage',
      `--port must be an integer from 0 to 65535, got "${values.port}".`,
      { hint: 'Use --port 0 (the default) for a free port.' },
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
  const services = await createAppServices({
    dataDir,
    env: io.env,
    osPlatform: process.platform,
    runtime: `node ${process.version} (web host)`,
    execPath: process.execPath,
    clipboard: browserClipboard,
    dialogs: browserDialogs,
  })
  try {
    const logger = createLogger({
      write: (line) => io.stderr.write(line),
      onRecord: (record) =>
        services.events.emit('app.log', {
          time: record.time,
          level: record.level,
          msg: record.msg,
        }),
    })
    const dispatch = createDispatcher({ handlers: createHandlers(services, { logger }), logger })
    const host = await startWebHost({
      dispatch,
      hub: services.events,
      rendererDir,
      logger,
      port,
    })
    io.stdout.write(
      `scim-console web host listening on ${host.origin}\nData folder: ${dataDir}\nOpen: ${host.pageUrl}\n`,
    )
    await new Promise<void>((r) => {
      if (io.signal.aborted) r()
      else io.signal.addEventListener('abort', () => r(), { once: true })
    })
    await host.close()
  } finally {
    await services.close()
    // A folder we made for this run goes with it; a named one is the person's to keep.
    if (!values.data) rmSync(dataDir, { recursive: true, force: true })
  }
  return EXIT_OK
}
