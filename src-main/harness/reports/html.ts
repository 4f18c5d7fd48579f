import { checkAreas } from '../../../src-shared/harness-constants.ts'
import type { CheckResult, Exchange, HarnessReport } from '../../../src-shared/harness.ts'
import { redactString } from '../../../src-shared/redact.ts'
import { escapeXml as esc } from './xml.ts'

/**
 * A self-contained HTML report for a person attaching it to a ticket: inline CSS, no script, no
 * external assets, readable when printed. Every request and response of a check sits under it.
 */

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#1d2330}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:2rem 0 .5rem;border-bottom:1px solid #dde}
.meta{color:#556;margin:0 0 1rem}.meta code{background:#f3f4f8;padding:0 .25rem;border-radius:3px}
.summary{display:flex;gap:.5rem;flex-wrap:wrap;margin:1rem 0}.pill{padding:.25rem .6rem;border-radius:1rem;font-weight:600;font-size:.85rem}
.pass{background:#e3f6e8;color:#17642f}.fail,.error{background:#fde4e4;color:#9b1c1c}.warn{background:#fff3d6;color:#7a5200}.info{background:#e6efff;color:#1f4b99}.skip{background:#eeeff3;color:#555}
.outcome{font-size:1.1rem;font-weight:700}
.check{border:1px solid #e2e4ea;border-radius:6px;margin:.5rem 0;padding:.5rem .75rem}
.check>summary{cursor:pointer;list-style:none;display:flex;gap:.6rem;align-items:baseline}
.check>summary::-webkit-details-marker{display:none}
.id{font-family:ui-monospace,Menlo,Consolas,monospace;color:#667;font-size:.8rem}
dl{display:grid;grid-template-columns:8rem 1fr;gap:.2rem .75rem;margin:.5rem 0}dt{color:#667}dd{margin:0;white-space:pre-wrap;word-break:break-word}
pre{background:#f6f7f9;border:1px solid #e4e6eb;border-radius:4px;padding:.5rem;overflow:auto;font-size:.8rem;max-height:24rem;white-space:pre-wrap;word-break:break-all}
.x{margin:.4rem 0}.x>summary{cursor:pointer;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.8rem}
li{margin:.3rem 0}a{color:#1f4b99}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #eee;padding:.25rem .5rem;text-align:left;font-size:.85rem}
@media print{.check{break-inside:avoid}details{display:block}}
`

function pretty(body: string | undefined): string {
  if (!body) return ''
  try {
    return JSON.stringify(JSON.parse(body), null, 2)
  } catch {
    return body
  }
}

function exchangeHtml(x: Exchange): string {
  const req = x.request
  const head = `${req.method} ${req.url} → ${x.response ? x.response.status : (x.error?.code ?? '?')} (${Math.round(x.durationMs)} ms${x.attempt > 1 ? `, attempt ${x.attempt}` : ''})`
  const reqText = [
    `${req.method} ${req.url}`,
    ...Object.entries(req.headers).map(([k, v]) => `${k}: ${v}`),
    '',
    pretty(req.body),
  ].join('\n')
  const resText = x.response
    ? [
        `HTTP ${x.response.status} ${x.response.statusText}`,
        ...Object.entries(x.response.headers).map(([k, v]) => `${k}: ${v}`),
        '',
        pretty(x.response.body),
      ].join('\n')
    : `${x.error?.code}: ${x.error?.message}`
  return `<details class="x"><summary>${esc(head)}</summary><pre>${esc(reqText)}</pre><pre>${esc(resText)}</pre></details>`
}

function checkHtml(c: CheckResult, byId: Map<string, Exchange>): string {
  const rows: Array<[string, string | undefined]> = [
    ['Result', c.message],
    ['Expected', c.expected],
    ['Actual', c.actual],
    ['What the IdP does', c.idpImpact],
    ['How to fix', c.fix],
    ['Protects', c.protects],
    ['Spec', c.spec],
    ['Severity', `${c.severity} in this profile`],
  ]
  const dl = rows
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v!)}</dd>`)
    .join('')
  const notes = c.notes.length
    ? `<ul>${c.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`
    : ''
  const xs = c.exchangeIds.map((id) => byId.get(id)).filter((x): x is Exchange => x !== undefined)
  const open = c.status === 'fail' || c.status === 'error' ? ' open' : ''
  return `<details class="check" id="${esc(c.id)}"${open}><summary><span class="pill ${c.status}">${c.status.toUpperCase()}</span> <strong>${esc(c.title)}</strong> <span class="id">${esc(c.id)}</span></summary><dl>${dl}</dl>${notes}${xs.map(exchangeHtml).join('')}</details>`
}

export function toHtmlReport(report: HarnessReport): string {
  const byId = new Map(report.exchanges.map((x) => [x.id, x]))
  const s = report.summary
  const pills = (['pass', 'fail', 'error', 'warn', 'info', 'skip'] as const)
    .map((k) => `<span class="pill ${k}">${s[k]} ${k}</span>`)
    .join('')
  const outcomeText = {
    passed: 'No check failed',
    failed: 'Some checks failed',
    cancelled: 'Cancelled',
    could_not_run: 'Could not run',
  }[report.outcome]
  const areas = checkAreas
    .map((area) => {
      const cs = report.checks.filter((c) => c.area === area)
      if (cs.length === 0) return ''
      return `<h2>${esc(area)} <span class="id">${cs.filter((c) => c.status === 'pass').length}/${cs.length} pass</span></h2>${cs.map((c) => checkHtml(c, byId)).join('')}`
    })
    .join('')
  const attention = report.checks.filter(
    (c) => c.status === 'fail' || c.status === 'error' || c.status === 'warn',
  )
  const findings = attention.length
    ? `<h2>Needs attention</h2><ul>${attention
        .map(
          (c) =>
            `<li><span class="pill ${c.status}">${c.status.toUpperCase()}</span> <a href="#${esc(c.id)}">${esc(c.title)}</a>: ${esc(c.message)}${c.idpImpact ? ` <em>${esc(c.idpImpact)}</em>` : ''}</li>`,
        )
        .join('')}</ul>`
    : ''
  const err = report.error
    ? `<p class="fail" style="padding:.5rem">${esc(`${report.error.code}: ${report.error.message}`)}${report.error.hint ? `<br>${esc(report.error.hint)}` : ''}</p>`
    : report.stoppedEarly
      ? `<p class="fail" style="padding:.5rem">Stopped early: ${esc(report.stoppedEarly.reason)}</p>`
      : ''
  const left = report.cleanup.leftovers
  const cleanup = `<h2>Cleanup</h2><p>Removed ${report.cleanup.removed.length} resources created by this run (prefix <code>${esc(report.runPrefix)}</code>).</p>${
    left.length
      ? `<p class="warn" style="padding:.5rem">Could not remove ${left.length}; delete them by hand:</p><table><tr><th>Type</th><th>id</th><th>Name</th><th>Why</th></tr>${left
          .map(
            (l) =>
              `<tr><td>${esc(l.type)}</td><td>${esc(l.id ?? '(unknown)')}</td><td>${esc(l.name)}</td><td>${esc(l.reason)}</td></tr>`,
          )
          .join('')}</table>`
      : ''
  }`
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>SCIM conformance: ${esc(report.baseUrl)} (${esc(report.profile)})</title><style>${CSS}</style></head>
<body>
<h1>SCIM conformance report</h1>
<p class="meta"><code>${esc(report.baseUrl)}</code> · profile <strong>${esc(report.profile)}</strong>${report.readOnly ? ' · read-only' : ''} · ${esc(report.startedAt)} · ${(report.durationMs / 1000).toFixed(1)} s · run <code>${esc(report.runId)}</code> · ${esc(report.tool.name)} ${esc(report.tool.version)}</p>
<p class="outcome">${esc(outcomeText)}</p>${err}
<div class="summary">${pills}</div>
${findings}
${areas}
${cleanup}
<p class="meta">Secrets are redacted from this report. Report schema version ${report.schemaVersion}.</p>
</body></html>
`
  return redactString(html)
}
