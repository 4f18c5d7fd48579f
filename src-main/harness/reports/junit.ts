import type { CheckResult, HarnessReport } from '../../../src-shared/harness.ts'
import { checkAreas } from '../../../src-shared/harness-constants.ts'
import { redactString } from '../../../src-shared/redact.ts'
import { escapeXml } from './xml.ts'

function detail(c: CheckResult): string {
  return [
    c.message,
    c.expected !== undefined ? `Expected: ${c.expected}` : '',
    c.actual !== undefined ? `Actual: ${c.actual}` : '',
    c.idpImpact !== undefined ? `Impact: ${c.idpImpact}` : '',
    c.fix !== undefined ? `Fix: ${c.fix}` : '',
    `Spec: ${c.spec}`,
    ...c.notes.map((n) => `Note: ${n}`),
  ]
    .filter(Boolean)
    .join('\n')
}

/**
 * JUnit XML for CI: one testsuite per area, one testcase per check. `fail` is a <failure>,
 * `error` (5xx, timeout) an <error>, `skip` <skipped/>; `warn` and `info` pass with the finding
 * in <system-out> so a CI gate fails only on what the profile calls a failure.
 */
export function toJunitXml(report: HarnessReport): string {
  const suites = checkAreas
    .map((area) => report.checks.filter((c) => c.area === area))
    .filter((cs) => cs.length > 0)
    .map((cs) => {
      const area = cs[0]!.area
      const failures = cs.filter((c) => c.status === 'fail').length
      const errors = cs.filter((c) => c.status === 'error').length
      const skipped = cs.filter((c) => c.status === 'skip').length
      const time = cs.reduce((t, c) => t + c.durationMs, 0) / 1000
      const cases = cs.map((c) => {
        const attrs = `name="${escapeXml(`${c.id}: ${c.title}`)}" classname="scim.${report.profile}.${area}" time="${(c.durationMs / 1000).toFixed(3)}"`
        const text = escapeXml(detail(c))
        const msg = escapeXml(c.message)
        let body = ''
        if (c.status === 'fail')
          body = `<failure message="${msg}" type="${c.severity}">${text}</failure>`
        else if (c.status === 'error')
          body = `<error message="${msg}" type="transport">${text}</error>`
        else if (c.status === 'skip') body = `<skipped message="${msg}"/>`
        else if (c.status === 'warn' || c.status === 'info')
          body = `<system-out>${escapeXml(`[${c.status}] `)}${text}</system-out>`
        return `    <testcase ${attrs}>${body}</testcase>`
      })
      return `  <testsuite name="scim-console ${report.profile} ${area}" tests="${cs.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${time.toFixed(3)}" timestamp="${report.startedAt}">\n${cases.join('\n')}\n  </testsuite>`
    })
  const s = report.summary
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="scim-console check ${escapeXml(report.baseUrl)} (${report.profile})" tests="${s.total}" failures="${s.fail}" errors="${s.error}" skipped="${s.skip}" time="${(report.durationMs / 1000).toFixed(3)}">\n${suites.join('\n')}\n</testsuites>\n`
  return redactString(xml)
}
