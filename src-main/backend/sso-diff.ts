import type { IdpMetadata } from '../../src-shared/metadata.ts'
import type { SsoConfig } from './admin-client.ts'

type IdpConfig = NonNullable<SsoConfig['idp']>

export interface CertificateSummary {
  sha256Fingerprint: string
  subject: string
  notAfter: string
  expired: boolean
  daysLeft: number
}

export interface SsoDiffWarning {
  code:
    | 'sso.metadata_not_usable'
    | 'sso.expired_replaces_working'
    | 'sso.no_shared_certificate'
    | 'sso.entity_id_changed'
  severity: 'error' | 'warning'
  message: string
  hint: string
}

/** What pushing new IdP metadata would change, shown before the push. */
export interface SsoDiff {
  firstConfiguration: boolean
  entityId: { from: string | null; to: string | null; changed: boolean }
  ssoUrl: { from: string | null; to: string | null; changed: boolean }
  certificates: {
    added: CertificateSummary[]
    removed: CertificateSummary[]
    kept: CertificateSummary[]
  }
  /**
   * Best reading of a rollover: `now` is the certificate the IdP signs with today (one already
   * trusted, else the oldest valid one), `next` a newer valid one it will switch to.
   */
  signing: { now: CertificateSummary | null; next: CertificateSummary | null }
  warnings: SsoDiffWarning[]
  /** The UI asks the person to confirm before pushing. */
  requiresConfirmation: boolean
}

const DAY_MS = 86_400_000
const key = (fingerprint: string) => fingerprint.replace(/[^0-9a-f]/gi, '').toUpperCase()

function summary(
  c: { sha256Fingerprint: string; subject: string; notAfter: string },
  now: number,
): CertificateSummary {
  const notAfter = Date.parse(c.notAfter)
  return {
    sha256Fingerprint: c.sha256Fingerprint,
    subject: c.subject,
    notAfter: c.notAfter,
    expired: notAfter <= now,
    daysLeft: Math.floor((notAfter - now) / DAY_MS),
  }
}

/** The SSO URL the backend keeps: HTTP-Redirect first, else HTTP-POST (as src-server does). */
function ssoUrlOf(next: IdpMetadata): string | null {
  const redirect = next.ssoServices.find((s) => s.bindingName === 'HTTP-Redirect')
  const post = next.ssoServices.find((s) => s.bindingName === 'HTTP-POST')
  return (redirect ?? post)?.location ?? null
}

export function diffSsoConfig(
  current: IdpConfig | null,
  next: IdpMetadata,
  options: { now?: Date } = {},
): SsoDiff {
  const now = (options.now ?? new Date()).getTime()
  const currentCerts = (current?.signingCertificates ?? []).map((c) => summary(c, now))
  const nextCerts = next.signingCertificates.map((c) => ({
    ...summary(c, now),
    notBefore: Date.parse(c.notBefore),
  }))
  const currentKeys = new Set(currentCerts.map((c) => key(c.sha256Fingerprint)))
  const nextKeys = new Set(nextCerts.map((c) => key(c.sha256Fingerprint)))
  const strip = ({ notBefore: _nb, ...c }: CertificateSummary & { notBefore: number }) => c

  const added = nextCerts.filter((c) => !currentKeys.has(key(c.sha256Fingerprint)))
  const kept = nextCerts.filter((c) => currentKeys.has(key(c.sha256Fingerprint)))
  const removed = currentCerts.filter((c) => !nextKeys.has(key(c.sha256Fingerprint)))

  const valid = nextCerts
    .filter((c) => !c.expired && !(c.notBefore > now))
    .sort((a, b) => a.notBefore - b.notBefore)
  const signingNow = valid.find((c) => currentKeys.has(key(c.sha256Fingerprint))) ?? valid[0]
  const signingNext = signingNow
    ? valid.find((c) => c !== signingNow && c.notBefore > signingNow.notBefore)
    : undefined

  const entityFrom = current?.entityId ?? null
  const ssoFrom = current?.ssoUrl ?? null
  const ssoTo = ssoUrlOf(next)
  const warnings: SsoDiffWarning[] = []

  if (!next.ok) {
    warnings.push({
      code: 'sso.metadata_not_usable',
      severity: 'error',
      message: 'This metadata is not usable for SSO; the backend will refuse it.',
      hint: 'Fix the errors listed for the metadata first (download it again from the IdP).',
    })
  }
  const currentWorks = currentCerts.some((c) => !c.expired)
  if (current && currentWorks && valid.length === 0 && nextCerts.length > 0) {
    warnings.push({
      code: 'sso.expired_replaces_working',
      severity: 'error',
      message:
        'Every signing certificate in the new metadata has expired, while the current configuration has one that still works.',
      hint: 'Pushing it would make Okta sign-ins fail where certificate dates are checked. Download current metadata from the IdP (Okta: the app’s Sign On tab, "View IdP metadata"), or keep the current configuration.',
    })
  }
  if (current && currentCerts.length > 0 && kept.length === 0 && nextCerts.length > 0) {
    warnings.push({
      code: 'sso.no_shared_certificate',
      severity: 'warning',
      message:
        'None of the currently trusted certificates is in the new metadata: sign-ins signed with the current certificate fail from the moment you push.',
      hint: 'Push this only once the IdP signs with the new certificate (in Okta, after activating it), or during a quiet moment.',
    })
  }
  if (current && entityFrom !== next.entityId) {
    warnings.push({
      code: 'sso.entity_id_changed',
      severity: 'warning',
      message: `The IdP entity ID changes from ${entityFrom ?? '(none)'} to ${next.entityId ?? '(none)'}.`,
      hint: 'Check that this metadata comes from the same IdP app; metadata of another app (or another Okta org) sends its users here instead.',
    })
  }

  return {
    firstConfiguration: current === null,
    entityId: { from: entityFrom, to: next.entityId, changed: entityFrom !== next.entityId },
    ssoUrl: { from: ssoFrom, to: ssoTo, changed: ssoFrom !== ssoTo },
    certificates: { added: added.map(strip), removed, kept: kept.map(strip) },
    signing: {
      now: signingNow ? strip(signingNow) : null,
      next: signingNext ? strip(signingNext) : null,
    },
    warnings,
    requiresConfirmation: warnings.length > 0,
  }
}
