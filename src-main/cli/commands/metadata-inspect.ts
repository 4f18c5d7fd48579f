import { redactString } from '../../../src-shared/redact.ts'
import type { IdpMetadata, MetadataSource } from '../../../src-shared/metadata.ts'
import { inspectMetadata } from '../../metadata/inspect-metadata.ts'
import { EXIT_FAIL, EXIT_OK, type CliCommand, type CliIo } from '../command.ts'
import { parseOptions, usageError } from '../parse-options.ts'

const USAGE = 'metadata inspect <file-or-url|-> [--entity-id ID] [--json]'

export const metadataInspectCommand: CliCommand = {
  path: ['metadata', 'inspect'],
  usage: USAGE,
  summary: 'Check SAML IdP metadata (file, URL, or - for stdin): exit 0 usable, 1 not usable.',
  async run(args: string[], io: CliIo): Promise<number> {
    const parsed = parseOptions<{ 'entity-id'?: string; json: boolean }>(
      args,
      { 'entity-id': { type: 'string' }, json: { type: 'boolean', default: false } },
      USAGE,
      { allowPositionals: true },
    )
    const [target, ...extra] = parsed.positionals
    if (target === undefined || extra.length > 0) {
      throw usageError(
        target === undefined
          ? 'Give the metadata file or URL to inspect.'
          : `Unexpected argument "${extra[0]}".`,
        USAGE,
      )
    }
    const source = await sourceOf(target, io)
    const entityId = parsed.values['entity-id']
    const result = await inspectMetadata(source, entityId === undefined ? {} : { entityId })

    // A metadata URL can carry a token in its query; output goes through the one redaction.
    const report = parsed.values.json
      ? `${JSON.stringify(toJson(result), null, 2)}\n`
      : formatHuman(result)
    io.stdout.write(redactString(report))
    for (const f of result.findings) {
      if (f.severity === 'error') {
        io.stderr.write(redactString(`${f.code}: ${f.message}\nhint: ${f.hint}\n`))
      }
    }
    return result.ok ? EXIT_OK : EXIT_FAIL
  },
}

async function sourceOf(target: string, io: CliIo): Promise<MetadataSource> {
  if (target === '-') {
    const chunks: Buffer[] = []
    for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk as Buffer))
    return { kind: 'text', text: Buffer.concat(chunks).toString('utf8'), name: 'stdin' }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) return { kind: 'url', url: target }
  return { kind: 'file', path: target }
}

/** The `--json` shape: the model minus the raw DER, which scripts do not need and which is long. */
function toJson(m: IdpMetadata): unknown {
  return {
    ...m,
    signingCertificates: m.signingCertificates.map(({ der: _der, ...rest }) => rest),
  }
}

function formatHuman(m: IdpMetadata): string {
  const out: string[] = []
  const errors = m.findings.filter((f) => f.severity === 'error').length
  const warnings = m.findings.filter((f) => f.severity === 'warning').length
  const verdict = m.ok ? 'USABLE' : 'NOT USABLE'
  const counts = [errors && `${errors} error(s)`, warnings && `${warnings} warning(s)`]
    .filter(Boolean)
    .join(', ')
  out.push(`${verdict}${counts ? ` (${counts})` : ''}  ${m.source}`)
  // "Usable" is about the document; the verdict says whether SSO works now, by the worst finding.
  out.push(`Verdict        ${m.verdict.level.toUpperCase()}: ${m.verdict.summary}`)
  if (m.entityId !== null) out.push(`Issued by      ${m.idp.label}`)
  if (m.entityId !== null) out.push(`Entity ID      ${m.entityId}`)
  for (const [label, list] of [
    ['SSO', m.ssoServices],
    ['SLO', m.sloServices],
  ] as const) {
    list.forEach((s, i) =>
      out.push(
        `${i === 0 ? label.padEnd(15) : ' '.repeat(15)}${s.bindingName.padEnd(15)} ${s.location}`,
      ),
    )
  }
  m.nameIdFormats.forEach((f, i) => out.push(`${i === 0 ? 'NameID formats ' : ' '.repeat(15)}${f}`))
  if (m.validUntil) out.push(`Valid until    ${m.validUntil}`)
  if (m.cacheDuration) out.push(`Cache duration ${m.cacheDuration}`)
  if (m.entityId !== null || m.signature.signed) {
    const sig = !m.signature.signed
      ? 'not signed'
      : m.signature.valid === true
        ? 'signed; verifies against its own certificate (integrity only, not trust)'
        : `signed; ${m.signature.valid === false ? 'does NOT verify' : 'not verified'}${m.signature.detail ? `: ${m.signature.detail}` : ''}`
    out.push(`Signature      ${sig}`)
  }
  if (m.idps.length > 0) {
    out.push(`IdPs in aggregate (${m.idps.length}):`)
    for (const id of m.idps.slice(0, 50)) out.push(`  ${id}`)
    if (m.idps.length > 50) out.push(`  ... and ${m.idps.length - 50} more (--json lists all)`)
  }
  if (m.signingCertificates.length > 0) {
    out.push('', `Signing certificates (${m.signingCertificates.length}):`)
    m.signingCertificates.forEach((c, i) => {
      const state = c.expired ? `EXPIRED ${-c.daysLeft} day(s) ago` : `${c.daysLeft} day(s) left`
      out.push(`  [${i + 1}] ${c.subject}`)
      out.push(`      valid ${c.notBefore.slice(0, 10)} to ${c.notAfter.slice(0, 10)} (${state})`)
      out.push(
        `      ${c.keyType}${c.keySize ? ` ${c.keySize}` : ''}, ${c.signatureAlgorithm}${c.selfSigned ? ', self-signed' : `, issuer ${c.issuer}`}`,
      )
      out.push(`      SHA-256 ${c.sha256Fingerprint}`)
      out.push(`      SHA-1   ${c.sha1Fingerprint}`)
    })
  }
  if (m.findings.length > 0) {
    out.push('', 'Findings:')
    for (const f of m.findings) {
      out.push(`  ${f.severity.toUpperCase().padEnd(8)}${f.code}: ${f.message}`)
      out.push(`  ${' '.repeat(8)}${f.hint}`)
    }
  }
  return `${out.join('\n')}\n`
}
