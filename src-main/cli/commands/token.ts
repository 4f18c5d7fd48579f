import { AppError } from '../../../src-shared/errors.ts'
import {
  isOktaTokenAppKind,
  oktaTokenAdvice,
  oktaTokenAdviceText,
  oktaTokenAppKinds,
  type OktaTokenAppKind,
} from '../../../src-shared/okta-token-advice.ts'
import { createConnectionService, resolveTarget } from '../../connections/connection-service.ts'
import { createTokenService, type CreatedToken } from '../../secrets/token-service.ts'
import { EXIT_OK, type CliCommand, type CliIo } from '../command.ts'
import { openCliStore } from '../open-cli-store.ts'
import { parseOptions } from '../parse-options.ts'

const targetOptions = {
  tenant: { type: 'string' },
  connection: { type: 'string' },
  backend: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const

type Parsed = {
  tenant?: string
  connection?: string
  backend?: string
  json: boolean
  label?: string
  token?: string
  'okta-app'?: string
}

function parse(args: string[], extra: Record<string, { type: 'string' }>, usage: string): Parsed {
  return parseOptions<Parsed>(args, { ...targetOptions, ...extra }, usage).values
}

function required(value: string | undefined, flag: string, usage: string): string {
  if (value === undefined || value.trim() === '') {
    throw new AppError('cli.usage', `${flag} is required.`, {
      hint: `Usage: scim-console ${usage}`,
    })
  }
  return value
}

/** Store, services and target for one command run. */
async function context(parsed: Parsed, io: CliIo) {
  const { dataDir, store } = await openCliStore(io)
  const target = await resolveTarget({
    connection: parsed.connection,
    backend: parsed.backend,
    env: io.env,
    connections: () => createConnectionService({ dataDir, store }),
  })
  return { store, target, tokens: createTokenService({ store }) }
}

/** The secret alone goes to stdout (so `$(scim-console token create ...)` captures it); the rest to stderr. */
/** `--okta-app`: which Okta app the advice is for; all of them when not given. */
function oktaAppKinds(value: string | undefined, usage: string): OktaTokenAppKind[] {
  if (value === undefined) return [...oktaTokenAppKinds]
  if (isOktaTokenAppKind(value)) return [value]
  throw new AppError('cli.usage', `--okta-app "${value}" is not an Okta app kind.`, {
    hint: `Use one of ${oktaTokenAppKinds.join(', ')}. Usage: scim-console ${usage}`,
  })
}

function printCreated(
  io: CliIo,
  created: CreatedToken,
  json: boolean,
  verb: string,
  kinds: OktaTokenAppKind[],
): void {
  if (json) {
    io.stdout.write(JSON.stringify(created, null, 2) + '\n')
  } else {
    io.stdout.write(created.secret + '\n')
  }
  io.stderr.write(
    `${verb} SCIM token ${created.id} ("${created.label}") for tenant ${created.tenantId}, hash ${created.hashPrefix}…; stored in the keychain as ${created.account}.\n` +
      'This is the only time the secret is printed: paste it into the IdP now. In Okta:\n' +
      kinds
        .map(
          (k) =>
            `- ${oktaTokenAdviceText(k)}\n  Paste: ${oktaTokenAdvice(k).valueToPaste('<the token above>')}\n`,
        )
        .join(''),
  )
}

const SCOPE = '--tenant ID (--connection NAME | --backend URL)'

const createUsage = `token create ${SCOPE} [--label TEXT] [--okta-app header|oauth|aiw-http-header] [--json]`
const tokenCreate: CliCommand = {
  path: ['token', 'create'],
  usage: createUsage,
  summary: 'Generate a SCIM token, keep it in the keychain, register its hash; prints it once',
  async run(args, io) {
    const parsed = parse(
      args,
      { label: { type: 'string' }, 'okta-app': { type: 'string' } },
      createUsage,
    )
    const kinds = oktaAppKinds(parsed['okta-app'], createUsage)
    const tenantId = required(parsed.tenant, '--tenant', createUsage)
    const { target, tokens } = await context(parsed, io)
    const created = await tokens.createToken({
      connection: target,
      tenantId,
      label: parsed.label ?? `scim-console ${new Date().toISOString().slice(0, 10)}`,
    })
    printCreated(io, created, parsed.json, 'Created', kinds)
    return EXIT_OK
  },
}

const listUsage = `token list ${SCOPE} [--json]`
const tokenList: CliCommand = {
  path: ['token', 'list'],
  usage: listUsage,
  summary: 'List a tenant’s SCIM tokens (never the secrets) and whether this keychain holds each',
  async run(args, io) {
    const parsed = parse(args, {}, listUsage)
    const tenantId = required(parsed.tenant, '--tenant', listUsage)
    const { target, tokens } = await context(parsed, io)
    const list = await tokens.listTokens({ connection: target, tenantId })
    if (parsed.json) {
      io.stdout.write(JSON.stringify(list, null, 2) + '\n')
      return EXIT_OK
    }
    io.stdout.write(`SCIM base URL: ${list.scimBaseUrl}\n`)
    if (list.tokens.length === 0) {
      io.stdout.write('No tokens. Create one with `scim-console token create`.\n')
    }
    const rows = list.tokens.map((t) => [
      t.id,
      t.label,
      t.createdAt,
      t.lastUsedAt ?? 'never',
      t.inKeychain ? `yes (…${t.last4 ?? ''})` : 'no',
    ])
    if (rows.length > 0) {
      const header = ['ID', 'LABEL', 'CREATED', 'LAST USED', 'IN KEYCHAIN']
      const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
      for (const row of [header, ...rows]) {
        io.stdout.write(
          row
            .map((cell, i) => cell.padEnd(widths[i]!))
            .join('  ')
            .trimEnd() + '\n',
        )
      }
    }
    for (const orphan of list.orphanedKeychainEntries) {
      io.stderr.write(
        `note: keychain entry ${orphan} belongs to a token the backend no longer has.\n`,
      )
    }
    return EXIT_OK
  },
}

const rotateUsage = `token rotate ${SCOPE} --token TOKEN_ID [--label TEXT] [--okta-app header|oauth|aiw-http-header] [--json]`
const tokenRotate: CliCommand = {
  path: ['token', 'rotate'],
  usage: rotateUsage,
  summary: 'Create a new token alongside an old one (both live); prints the new secret once',
  async run(args, io) {
    const parsed = parse(
      args,
      { label: { type: 'string' }, token: { type: 'string' }, 'okta-app': { type: 'string' } },
      rotateUsage,
    )
    const kinds = oktaAppKinds(parsed['okta-app'], rotateUsage)
    const tenantId = required(parsed.tenant, '--tenant', rotateUsage)
    const tokenId = required(parsed.token, '--token', rotateUsage)
    const { target, tokens } = await context(parsed, io)
    const created = await tokens.rotateToken({
      connection: target,
      tenantId,
      tokenId,
      ...(parsed.label !== undefined ? { label: parsed.label } : {}),
    })
    printCreated(io, created, parsed.json, 'Created replacement', kinds)
    io.stderr.write(
      `Token ${created.replaces} stays live. Once the IdP uses the new token (its "last used" time moves), revoke the old one:\n  scim-console token revoke --tenant ${tenantId} --token ${created.replaces} ...\n`,
    )
    return EXIT_OK
  },
}

const revokeUsage = `token revoke ${SCOPE} --token TOKEN_ID`
const tokenRevoke: CliCommand = {
  path: ['token', 'revoke'],
  usage: revokeUsage,
  summary: 'Revoke a SCIM token on the backend and delete it from the keychain',
  async run(args, io) {
    const parsed = parse(args, { token: { type: 'string' } }, revokeUsage)
    const tenantId = required(parsed.tenant, '--tenant', revokeUsage)
    const tokenId = required(parsed.token, '--token', revokeUsage)
    const { target, tokens } = await context(parsed, io)
    const result = await tokens.revokeToken({ connection: target, tenantId, tokenId })
    if (parsed.json) {
      io.stdout.write(JSON.stringify({ tenantId, tokenId, ...result }) + '\n')
    } else {
      io.stdout.write(
        `Token ${tokenId}: ${result.revokedOnBackend ? 'revoked on the backend' : 'was already gone from the backend'}; ${result.removedFromKeychain ? 'removed from the keychain' : 'not in this keychain'}.\n`,
      )
    }
    return EXIT_OK
  },
}

export const tokenCommands: CliCommand[] = [tokenCreate, tokenList, tokenRotate, tokenRevoke]
