/** "2024-05-01T10:00:05.000Z" -> "1 May 2024, 10:00:05 UTC": last-used times need the time of day. */
export function formatDateTime(iso: string | null): string {
  if (!iso) return '—'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const date = d.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  })
  return `${date}, ${d.toISOString().slice(11, 19)} UTC`
}
