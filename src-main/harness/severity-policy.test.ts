import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { harnessProfiles } from '../../src-shared/harness.ts'
import { allChecks } from './checks/index.ts'

/**
 * The severity policy (README "Severity policy"): every RFC MUST/SHALL violation is at least
 * `warn` in every profile that runs the check; `info` is for advice only; every check is
 * documented with its severity per profile.
 */
describe('the severity policy', () => {
  it('an RFC MUST check is never info in any profile', () => {
    const soft = allChecks
      .filter((c) => c.rfcMust)
      .flatMap((c) =>
        harnessProfiles.filter((p) => c.severity[p] === 'info').map((p) => `${c.id} (${p})`),
      )
    expect(soft).toEqual([])
  })

  it('ids are unique and stable-shaped (area.name)', () => {
    const ids = allChecks.map((c) => c.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const id of ids) expect(id).toMatch(/^[a-z]+(\.[a-z_]+)+$/)
  })

  it('README.md lists every check with its severity per profile, and nothing else', () => {
    const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8')
    const rows = new Map<string, string[]>()
    for (const m of readme.matchAll(/^\| `([a-z_.]+)` \| (\w+) \| (\w+) \| (\w+) \| (MUST|—) \|/gm))
      rows.set(m[1]!, [m[2]!, m[3]!, m[4]!, m[5]!])
    const want = new Map(
      allChecks.map((c) => [
        c.id,
        [c.severity.okta, c.severity.entra, c.severity.rfc, c.rfcMust ? 'MUST' : '—'],
      ]),
    )
    expect(Object.fromEntries(rows)).toEqual(Object.fromEntries(want))
  })
})
