import type { Finding, Severity } from '../../../src-shared/metadata.ts'

const rank: Record<Severity, number> = { error: 0, warning: 1, info: 2 }

/** Errors first, then warnings, then notes; the original order within a severity. */
export function sortBySeverity(findings: readonly Finding[]): Finding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => rank[a.f.severity] - rank[b.f.severity] || a.i - b.i)
    .map(({ f }) => f)
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const out: Record<Severity, number> = { error: 0, warning: 0, info: 0 }
  for (const f of findings) out[f.severity] += 1
  return out
}

/** "2024-05-01T10:00:00.000Z" -> "1 May 2024"; unparseable values are shown as given. */
export function formatDate(iso: string | null): string {
  if (!iso) return '—'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return d.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  })
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

/** The last segment of a NameID format URN, which is what people recognise. */
export function shortNameIdFormat(urn: string): string {
  const last = urn.split(':').pop()
  return last && last.length > 0 ? last : urn
}

/** "file:okta.xml" and "paste:okta.xml" -> "okta.xml"; "paste" -> "pasted text"; URLs as they are. */
export function describeSource(source: string): string {
  if (source.startsWith('file:')) return source.slice(5)
  if (source.startsWith('paste:')) return source.slice(6)
  if (source === 'paste') return 'pasted text'
  return source
}
