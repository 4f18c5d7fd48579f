import { AppError } from '../../../src-shared/errors.ts'
import { redactString } from '../../../src-shared/redact.ts'
import { replayUser, type ReplayStep } from '../../harness/replay-user.ts'
import { EXIT_FAIL, EXIT_OK, type CliCommand } from '../command.ts'
import { readToken, rejectTokenInArgv } from './check.ts'
import { parseOptions, usageError as usageErrorOf } from '../parse-options.ts'

const USAGE =
  'replay-user --url URL --user-name NAME [--given-name G] [--family-name F] [--email E] [--department D] [--manager M] [--group NAME ...] [--profile okta|entra] [--token-env NAME | --token-stdin] [--timeout SECONDS]'

const usageError = (message: string): AppError => usageErrorOf(message, USAGE)

function formatStep(s: ReplayStep): string {
  const lines = [
    `${String(s.n).padStart(2)}. ${s.ok ? 'ok  ' : 'DIVERGES'} ${s.title}`,
    `    ${s.request} → ${s.status}`,
    `    ${s.result}`,
  ]
  if (s.idpImpact) lines.push(`    impact: ${s.idpImpact}`)
  if (s.fix) lines.push(`    fix:    ${s.fix}`)
  return `${lines.join('\n')}\n`
}

export const replayUserCommand: CliCommand = {
  path: ['replay-user'],
  usage: USAGE,
  summary:
    "Send the IdP's exact request sequence for one user and stop at the first divergence (writes real data).",
  async run(args, io) {
    rejectTokenInArgv(args)
    const { values } = parseOptions<Record<string, string | string[] | boolean | undefined>>(
      args,
      {
        url: { type: 'string' },
        'user-name': { type: 'string' },
        'given-name': { type: 'string' },
        'family-name': { type: 'string' },
        email: { type: 'string' },
        department: { type: 'string' },
        manager: { type: 'string' },
        group: { type: 'string', multiple: true },
        profile: { type: 'string' },
        'token-env': { type: 'string' },
        'token-stdin': { type: 'boolean' },
        timeout: { type: 'string' },
      },
      USAGE,
    )
    const url = values.url as string | undefined
    const userName = values['user-name'] as string | undefined
    if (!url) throw usageError('--url is required (the SCIM base URL).')
    if (!userName?.trim())
      throw usageError('--user-name is required (the userName the IdP sends, usually the email).')
    const profile = (values.profile as string | undefined) ?? 'okta'
    if (profile !== 'okta' && profile !== 'entra')
      throw usageError(`--profile must be okta or entra, not "${profile}".`)
    const timeout = values.timeout === undefined ? 30 : Number(values.timeout)
    if (!Number.isFinite(timeout) || timeout < 1 || timeout > 120)
      throw usageError('--timeout must be 1 to 120 seconds.')
    const token = await readToken(values as { 'token-env'?: string; 'token-stdin'?: boolean }, io)
    const str = (k: string): string | undefined => values[k] as string | undefined
    io.stdout.write(
      `Replaying ${profile === 'okta' ? 'Okta' : 'Entra ID'}'s requests for ${userName} against ${url}\n\n`,
    )
    let result
    try {
      result = await replayUser({
        baseUrl: url,
        token,
        profile,
        timeoutMs: timeout * 1000,
        signal: io.signal,
        user: {
          userName,
          ...(str('given-name') ? { givenName: str('given-name')! } : {}),
          ...(str('family-name') ? { familyName: str('family-name')! } : {}),
          ...(str('email') ? { email: str('email')! } : {}),
          ...(str('department') ? { department: str('department')! } : {}),
          ...(str('manager') ? { manager: str('manager')! } : {}),
          groups: (values.group as string[] | undefined) ?? [],
        },
        onStep: (s) => io.stdout.write(redactString(formatStep(s))),
      })
    } catch (err) {
      if (err instanceof AppError && err.code === 'harness.bad_input') throw usageError(err.message)
      throw err
    }
    if (result.outcome === 'completed') {
      io.stdout.write(
        `\nEvery step went as ${profile === 'okta' ? 'Okta' : 'Entra ID'} expects: ${userName} is provisioned (id ${result.userId}).\n`,
      )
      return EXIT_OK
    }
    io.stdout.write(
      `\nStopped at step ${result.steps.length}: this is where provisioning of ${userName} goes wrong.\n`,
    )
    return EXIT_FAIL
  },
}
