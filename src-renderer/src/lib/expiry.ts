import type { CertificateInfo } from '../../../src-shared/metadata.ts'

export type ExpiryState = 'expired' | 'expires-soon' | 'valid'

/** Okta warns 30 days ahead too; a certificate inside that window needs a rollover plan now. */
export const EXPIRES_SOON_DAYS = 30

export function expiryState(cert: Pick<CertificateInfo, 'expired' | 'daysLeft'>): ExpiryState {
  if (cert.expired || cert.daysLeft < 0) return 'expired'
  if (cert.daysLeft <= EXPIRES_SOON_DAYS) return 'expires-soon'
  return 'valid'
}

export function expiryLabel(cert: Pick<CertificateInfo, 'expired' | 'daysLeft'>): string {
  const state = expiryState(cert)
  if (state === 'expired') {
    const ago = Math.abs(cert.daysLeft)
    return ago === 0 ? 'Expired today' : `Expired ${ago} day${ago === 1 ? '' : 's'} ago`
  }
  if (cert.daysLeft === 0) return 'Expires today'
  return `${state === 'expires-soon' ? 'Expires in' : 'Valid for'} ${cert.daysLeft} day${cert.daysLeft === 1 ? '' : 's'}`
}

export const expiryBadgeText: Record<ExpiryState, string> = {
  expired: 'Expired',
  'expires-soon': 'Expires soon',
  valid: 'Valid',
}
