import { readFile, stat } from 'node:fs/promises'
import {
  expectationsFromIdp,
  inspectSamlMessage,
  MAX_MESSAGE_BYTES,
  type SamlExpectations,
  type SamlInspection,
  type SamlValidation,
} from '../../../src-domain/saml-response/index.ts'
import { AppError } from '../../../src-shared/errors.ts'
import { redactString } from '../../../src-shared/redact.ts'
import { createAdminClient } from '../../backend/admin-client.ts'
import { inspectMetadata } from '../../metadata/inspect-metadata.ts'
import { resolveCliTarget } from '../../sso-log/cli-target.ts'
import { EXIT_FAIL, EXIT_OK, type CliCommand, type CliIo } from '../command.ts'
import { parseOptions, usageError } from '../parse-options.ts'
import { inspectionView } from '../../sso/inspection-view.ts'

const USAGE =
  'saml inspect <file|-> [--tenant ID (--backend URL | --connection NAME) | --metadata FILE] [--json]'
/** A captured message, base64 and URL-encoded, is at most a few times the XML cap. */
const MAX_INPUT_BYTES = MAX_MESSAGE_BYTES * 3

interface Values {
  tenant?: string
  backend?: string
  connection?: string
  metadata?: string
  json: boolean
}

export const samlInspectCommand: CliCommand = {
  path: ['saml', 'inspect'],
  usage: USAGE,
  summary:
    'Decode a captured SAMLResponse or AuthnRequest locally and validate it as the ACS would: exit 0 valid, 1 not.',
  async run(args: string[], io: CliIo): Promise<number> {
    const { values: o, positionals } = parseOptions<Values>(
      args,
      {
        tenant: { type: 'string' },
        backend: { type: 'string' },
        connection: { type: 'string' },
        metadata: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      USAGE,
      { allowPositionals: true },
    )
    const [target, ...extra] = positionals
    if (target === undefined)
      throw usageError('Give the file holding the SAML message, or - for stdin.', USAGE)
    if (extra.length > 0) throw usageError(`Unexpected argument "${extra[0]}".`, USAGE)
    if (o.metadata !== undefined && o.tenant !== undefined) {
      throw usageError('Give either --tenant or --metadata, not both.', USAGE)
    }
    if (o.tenant === undefined && (o.backend !== undefined || o.connection !== undefined)) {
      throw usageError('--backend and --connection need --tenant ID.', USAGE)
    }
    const text = await readInput(target, io)
    const expect = await expectations(o, io)
    const result = inspectSamlMessage(text, expect)
    io.stdout.write(
      redactString(o.json ? `${JSON.stringify(toJson(result), null, 2)}\n` : format(result, o)),
    )
    if (result.kind === 'authn-request') return EXIT_OK
    if (result.kind === 'unreadable') {
      io.stderr.write(
        redactString(
          `${result.failure.code}: ${result.failure.message}\nhint: ${result.failure.hint}\n`,
        ),
      )
      return EXIT_FAIL
    }
    const reason = result.validation.reason
    if (reason)
      io.stderr.write(redactString(`${reason.code}: ${reason.message}\nhint: ${reason.hint}\n`))
    return result.validation.valid ? EXIT_OK : EXIT_FAIL
  },
}

async function readInput(target: string, io: CliIo): Promise<string> {
  if (target === '-') {
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of io.stdin) {
      const b = Buffer.from(chunk as Buffer)
      size += b.length
      if (size > MAX_INPUT_BYTES) throw tooLarge('stdin')
      chunks.push(b)
    }
    return Buffer.concat(chunks).toString('utf8')
  }
  try {
    if ((await stat(target)).size > MAX_INPUT_BYTES) throw tooLarge(target)
    return await readFile(target, 'utf8')
  } catch (err) {
    if (err instanceof AppError) throw err
    throw new AppError('saml.read_failed', `Cannot read ${target}: ${(err as Error).message}`, {
      hint: 'Give the path of a file holding the captured SAMLResponse (or - to read stdin).',
    })
  }
}

function tooLarge(what: string): AppError {
  return new AppError(
    'saml.read_failed',
    `${what} is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MB; a SAML message is a few KB.`,
    {
      hint: 'Save only the SAMLResponse value (or the form body) to the file.',
    },
  )
}

async function expectations(o: Values, io: CliIo): Promise<SamlExpectations> {
  const now = new Date()
  if (o.metadata !== undefined) {
    const m = await inspectMetadata({ kind: 'file', path: o.metadata })
    if (!m.ok) {
      const first = m.findings.find((f) => f.severity === 'error')
      throw new AppError(
        'metadata.not_idp',
        `The IdP metadata ${o.metadata} is not usable: ${first?.message ?? 'see metadata inspect'}`,
        {
          hint: first?.hint ?? `Run scim-console metadata inspect ${o.metadata}`,
        },
      )
    }
    return expectationsFromIdp(m, { sp: null, now })
  }
  if (o.tenant !== undefined) {
    const conn = await resolveCliTarget(io.env, o)
    // The only thing that leaves the machine: asking the tenant for its IdP configuration.
    const sso = await createAdminClient({
      baseUrl: conn.adminBaseUrl,
      adminKey: conn.adminKey,
    }).getSso(o.tenant)
    if (!sso.idp) {
      throw new AppError(
        'sso.not_configured',
        `Tenant ${o.tenant} has no IdP metadata, so there is nothing to validate against.`,
        {
          hint: 'Push the IdP metadata first (console: Single sign-on), or give --metadata FILE.',
        },
      )
    }
    return {
      idpEntityId: sso.idp.entityId,
      // The admin API serves fingerprints: the certificate the message carries is used only if it is one of them.
      certificates: sso.idp.signingCertificates.map((c) => ({
        sha256Fingerprint: c.sha256Fingerprint,
        subject: c.subject,
        notAfter: c.notAfter,
      })),
      sp: { entityId: sso.sp.entityId, acsUrl: sso.sp.acsUrl },
      now,
    }
  }
  return { idpEntityId: null, certificates: null, sp: null, now }
}

/** The contract's view of an inspection (the app shows the same), plus what only the CLI prints. */
function toJson(r: SamlInspection): unknown {
  if (r.kind !== 'response') return r
  const v = r.validation
  return {
    ...inspectionView(r),
    user: v.user,
    inResponseTo: v.inResponseTo,
    idpInitiated: v.idpInitiated,
  }
}

const row = (label: string, value: string | null | undefined): string =>
  `${label.padEnd(18)}${value ?? '-'}`

function format(r: SamlInspection, o: Values): string {
  const out: string[] = []
  if (r.kind === 'unreadable') {
    out.push(`UNREADABLE  ${r.failure.code}`, `  ${r.failure.message}`, `  ${r.failure.hint}`)
    return `${out.join('\n')}\n`
  }
  if (r.kind === 'authn-request') {
    const q = r.request
    out.push(`AUTHNREQUEST  (${r.encoding}; decoded locally, nothing sent)`)
    out.push(row('ID', q.id), row('Issuer (SP)', q.issuer), row('Destination', q.destination))
    out.push(
      row('ACS URL', q.acsUrl),
      row('Binding', q.protocolBinding),
      row('NameID policy', q.nameIdPolicyFormat),
    )
    out.push(row('Issued', q.issueInstant), row('RelayState', r.relayState))
    return `${out.join('\n')}\n`
  }
  const v = r.validation
  const against = o.tenant ? `tenant ${o.tenant}` : o.metadata ? `IdP metadata ${o.metadata}` : null
  const verdict = v.valid ? 'VALID' : v.reason ? `INVALID (${v.reason.code})` : 'NOT VERIFIED'
  out.push(
    `${verdict}  ${against ? `validated against ${against}` : 'decoded only: give --metadata FILE or --tenant ID to check the signature'}`,
  )
  out.push(...formatValidation(v))
  return `${out.join('\n')}\n`
}

function formatValidation(v: SamlValidation): string[] {
  const out: string[] = []
  const resp = v.response
  const a = v.assertion
  out.push('', 'Response')
  out.push(
    row('  ID', resp?.id),
    row('  Issuer', resp?.issuer),
    row('  Destination', resp?.destination),
  )
  out.push(
    row('  InResponseTo', resp?.inResponseTo ?? '(none: IdP-initiated)'),
    row('  Status', resp?.statusCode),
  )
  const cert = v.signature.certificate
  out.push(
    row(
      '  Signed',
      `${v.signature.signed}${cert ? `, verified with SHA-256 ${cert.sha256Fingerprint}` : ''}`,
    ),
  )
  if (a) {
    out.push('', `Assertion${v.verified ? ' (read from the signed XML)' : ' (NOT verified)'}`)
    out.push(row('  ID', a.id), row('  Issuer', a.issuer), row('  Issued', a.issueInstant))
    out.push(row('  NameID', a.nameId), row('  NameID format', a.nameIdFormat))
    const bearer = a.subjectConfirmations[0]
    out.push(
      row('  Recipient', bearer?.recipient),
      row('  Valid', `${a.notBefore ?? '?'} to ${a.notOnOrAfter ?? '?'}`),
    )
    out.push(row('  Audience', a.audiences.join(', ') || null))
    out.push('  Attributes')
    for (const at of a.attributes) out.push(`    ${at.name} = ${at.values.join(', ')}`)
    if (a.attributes.length === 0) out.push('    (none)')
  }
  if (v.failures.length > 0) {
    out.push('', 'Problems')
    for (const f of v.failures) {
      out.push(`  ${f.code}: ${f.message}`)
      out.push(`    fix: ${f.hint}`)
      for (const [k, val] of Object.entries(f.evidence)) {
        out.push(`    ${k}: ${Array.isArray(val) ? val.join(', ') || '(none)' : String(val)}`)
      }
    }
  }
  if (v.skipped.length > 0) {
    out.push('', 'Not checked')
    for (const s of v.skipped) out.push(`  ${s}`)
  }
  return out
}
