import { AppError } from '../../../src-shared/errors.ts'
import { redactString } from '../../../src-shared/redact.ts'
import { resolveCliTarget } from '../../sso-log/cli-target.ts'
import { loadSignInStory } from '../../sso-log/load-sign-in-story.ts'
import type { SignInStory } from '../../sso-log/sign-in-story.ts'
import { EXIT_FAIL, EXIT_OK, type CliCommand, type CliIo } from '../command.ts'
import { parseOptions, usageError } from '../parse-options.ts'

const USAGE = 'sso explain --tenant ID --user NAME [--json] [--backend URL | --connection NAME]'

interface Values {
  tenant?: string
  user?: string
  backend?: string
  connection?: string
  json: boolean
}

export const ssoExplainCommand: CliCommand = {
  path: ['sso', 'explain'],
  usage: USAGE,
  summary:
    "Tell one user's sign-in story from the SSO events and explain each refusal, with the fix in Okta's and Entra's terms: exit 0 signs in, 1 does not.",
  async run(args: string[], io: CliIo): Promise<number> {
    const { values: o } = parseOptions<Values>(
      args,
      {
        tenant: { type: 'string' },
        user: { type: 'string' },
        backend: { type: 'string' },
        connection: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      USAGE,
    )
    const tenant = o.tenant?.trim()
    const user = o.user?.trim()
    if (!tenant) throw usageError('--tenant ID is required.', USAGE)
    if (!user) {
      throw new AppError(
        'cli.usage',
        '--user NAME is required: the userName or e-mail the person signs in with.',
        {
          hint: `Usage: scim-console ${USAGE}`,
        },
      )
    }
    const conn = await resolveCliTarget(io.env, o)
    const story = await loadSignInStory(conn, tenant, user)
    io.stdout.write(
      redactString(o.json ? `${JSON.stringify(story, null, 2)}\n` : formatStory(story)),
    )
    return story.verdict === 'signs_in' && story.crossCheck === null ? EXIT_OK : EXIT_FAIL
  },
}

export function formatStory(s: SignInStory): string {
  const out: string[] = []
  const label =
    s.verdict === 'signs_in'
      ? 'SIGNS IN'
      : s.verdict === 'cannot_sign_in'
        ? 'CANNOT SIGN IN'
        : 'NO SIGN-IN SEEN'
  out.push(`${label}: ${s.summary}`)
  if (s.attempts.length > 0) {
    out.push('', `Attempts (${s.attempts.length}, oldest first):`)
    for (const a of s.attempts.slice(-30)) {
      out.push(
        `  #${a.seq}  ${a.time}  ${a.outcome === 'success' ? 'signed in' : `refused ${a.reason}`}  ${a.flow}  ${a.userName ?? '-'}`,
      )
    }
  }
  for (const f of s.findings) {
    out.push('', `${f.resolved ? '(resolved) ' : ''}[${f.code}] ${f.title}`)
    out.push(`  why: ${f.explanation}`)
    for (const e of f.evidence) out.push(`  evidence: ${e}`)
    out.push(`  fix in Okta: ${f.fix.okta}`)
    out.push(`  fix in Entra: ${f.fix.entra}`)
    out.push(`  attempts: ${f.seqs.map((n) => `#${n}`).join(', ')}`)
  }
  if (s.crossCheck) {
    const c = s.crossCheck
    out.push('', `[${c.kind}] ${c.explanation}`)
    for (const e of c.evidence) out.push(`  evidence: ${e}`)
    out.push(`  fix in Okta: ${c.fix.okta}`)
    out.push(`  fix in Entra: ${c.fix.entra}`)
  }
  return `${out.join('\n')}\n`
}
