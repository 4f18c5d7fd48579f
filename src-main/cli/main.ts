// errors.ts is loaded only when a command fails: it builds zod schemas at import, which `--help`
// does not need (a test checks what help loads).
import { redactString } from '../../src-shared/redact.ts'
import { EXIT_USAGE, type CliCommandEntry, type CliIo } from './command.ts'
import { commands } from './commands/index.ts'

function usage(): string {
  // Usage lines are long (every option is listed), so the summary goes on its own line.
  const lines = commands.map((c) => `  ${c.usage}\n      ${c.summary}`)
  return `Usage: scim-console <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nscim-console <command> --help shows one command.\n`
}

function findCommand(argv: string[]): { command: CliCommandEntry; rest: string[] } | undefined {
  // Longest path wins so `token create` is not taken for `token`.
  const sorted = [...commands].sort((a, b) => b.path.length - a.path.length)
  for (const command of sorted) {
    if (command.path.every((word, i) => argv[i] === word)) {
      return { command, rest: argv.slice(command.path.length) }
    }
  }
  return undefined
}

export async function main(argv: string[], io?: Partial<CliIo>): Promise<number> {
  // Ctrl-C and a service manager's SIGTERM both abort the signal, so a long-running command
  // (`web`, `log tail`, `check`) closes its services and its embedded backend before exiting.
  const controller = new AbortController()
  const onSignal = (): void => controller.abort()
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  const fullIo: CliIo = {
    stdout: io?.stdout ?? process.stdout,
    stderr: io?.stderr ?? process.stderr,
    stdin: io?.stdin ?? process.stdin,
    env: io?.env ?? process.env,
    signal: io?.signal ?? controller.signal,
  }
  try {
    if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
      fullIo.stdout.write(usage())
      return argv.length === 0 ? EXIT_USAGE : 0
    }
    const found = findCommand(argv)
    if (!found) {
      // A mistyped command line may still hold a token (`scim-console tokn scimc_…`); CI keeps stderr.
      const given = redactString(argv.join(' '))
      fullIo.stderr.write(`cli.usage: unknown command "${given}".\n\n${usage()}`)
      return EXIT_USAGE
    }
    if (found.rest.includes('--help') || found.rest.includes('-h')) {
      fullIo.stdout.write(`Usage: scim-console ${found.command.usage}\n${found.command.summary}\n`)
      return 0
    }
    const command = await found.command.load()
    return await command.run(found.rest, fullIo)
  } catch (err) {
    const { AppError, toErrorData } = await import('../../src-shared/errors.ts')
    const data = toErrorData(err)
    const hint = data.hint ? `\nhint: ${data.hint}` : ''
    fullIo.stderr.write(redactString(`${data.code}: ${data.message}${hint}\n`))
    if (!(err instanceof AppError) && fullIo.env.SCIM_CONSOLE_DEBUG) {
      fullIo.stderr.write(redactString(String((err as Error)?.stack ?? err)) + '\n')
    }
    return err instanceof AppError && err.code === 'cli.usage' ? EXIT_USAGE : 2
  } finally {
    process.removeListener('SIGINT', onSignal)
    process.removeListener('SIGTERM', onSignal)
  }
}
