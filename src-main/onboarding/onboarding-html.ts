import type { OnboardingStatus } from '../../src-shared/channels/onboarding.ts'
import type { HarnessReport } from '../../src-shared/harness.ts'
import { oktaScimSetup } from '../../src-shared/okta-setup-paths.ts'
import { redactString } from '../../src-shared/redact.ts'
import { toHtmlReport } from '../harness/reports/html.ts'
import { escapeXml as esc } from '../harness/reports/xml.ts'

const CHECKLIST_CSS = `
.steps{list-style:none;padding:0;margin:1rem 0}.steps li{display:grid;grid-template-columns:7rem 1fr;gap:.75rem;border:1px solid #e2e4ea;border-radius:6px;padding:.6rem .75rem;margin:.4rem 0}
.st{font-weight:700;font-size:.8rem;text-transform:uppercase;letter-spacing:.04em}.st-done{color:#17642f}.st-blocked{color:#9b1c1c}.st-current,.st-ready{color:#7a5200}
.kv{display:grid;grid-template-columns:16rem 1fr;gap:.25rem .75rem}.kv dt{color:#667}.kv dd{margin:0;font-family:ui-monospace,Menlo,Consolas,monospace;word-break:break-all}
.report{border-top:3px solid #dde;margin-top:2.5rem;padding-top:1rem}.reminder{background:#fff3d6;color:#5c3d00;padding:.6rem .75rem;border-radius:6px}
`

function kv(rows: Array<[string, string]>): string {
  return `<dl class="kv">${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`
}

/** The harness's own HTML report, taken apart so its styles and body join this one document. */
function embeddedReport(report: HarnessReport): { css: string; body: string } {
  const html = toHtmlReport(report)
  const css = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1]
  const body = /<body>([\s\S]*)<\/body>/.exec(html)?.[1]
  if (css !== undefined && body !== undefined) return { css, body }
  // The writer changed shape: keep the report whole rather than lose it.
  return {
    css: '',
    body: `<iframe title="Conformance report" style="width:100%;height:80vh;border:0" srcdoc="${esc(html)}"></iframe>`,
  }
}

/**
 * The go-live checklist of one tenant and its last pre-go-live report as ONE self-contained HTML
 * file (inline CSS, no script, no external asset) for the change ticket. It names the token by
 * label only; the whole document goes through the redaction function once more at the end.
 */
export function onboardingHtml(
  status: OnboardingStatus,
  report: HarnessReport | null,
  exportedAt: string,
): string {
  const steps = status.steps
    .map(
      (s) =>
        `<li><span class="st st-${s.status}">${esc(s.status)}</span><div><strong>${s.n}. ${esc(s.title)}</strong>${
          s.summary ? `<br>${esc(s.summary)}` : ''
        }${s.changed ? `<br><strong>${esc(s.changed)}</strong>` : ''}${s.blockedBy ? `<br><em>${esc(s.blockedBy)}</em>` : ''}</div></li>`,
    )
    .join('')
  const sso = kv([
    ['ACS URL (Single sign-on URL)', status.sp.acsUrl],
    ['SP entity ID (Audience URI)', status.sp.entityId],
    ['Default RelayState', status.sp.relayState || '(empty)'],
    ['Name ID format', status.sp.nameIdFormat],
    ['IdP entity ID on the tenant', status.sso.entityId ?? '(not configured)'],
    ['Test sign-in', signInLine(status)],
  ])
  // The chosen path's own settings only: nothing of the other path mixed in.
  const setup = status.scim.oktaApp ? oktaScimSetup(status.scim.oktaApp, status.scimBaseUrl) : null
  const scim = setup
    ? `<p>Path: <strong>${esc(setup.pathName)}</strong></p>${kv([
        ...setup.settings,
        ['Token (label)', status.scim.tokenLabel ?? '(none)'],
      ])}<ol class="okta-steps">${setup.steps
        .map((s) => `<li><strong>${esc(s.where)}</strong>: ${esc(s.what)}</li>`)
        .join('')}</ol>`
    : kv([
        ['Okta app', '(not chosen)'],
        ['SCIM base URL', status.scimBaseUrl],
      ])
  const reminder = setup
    ? setup.assignment
    : 'Assign the same users and groups to the SSO app as to the SCIM app: a user assigned to the SCIM app but not to the SSO app is created but cannot log in.'
  const goLive = status.goLive.firstUser
    ? `<p><strong>First user arrived: ${esc(status.goLive.firstUser.userName)}</strong> (${esc(status.goLive.firstUser.time)}, event ${status.goLive.firstUser.seq})</p>`
    : status.goLive.startedAt
      ? `<p>Go-live began ${esc(status.goLive.startedAt)}; no user from the IdP yet.</p>`
      : '<p>Go-live has not begun.</p>'
  const part = report ? embeddedReport(report) : null
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Okta onboarding: ${esc(status.tenantName)}</title><style>${part?.css ?? ''}${CHECKLIST_CSS}</style></head>
<body>
<h1>Okta onboarding: ${esc(status.tenantName)}</h1>
<p class="meta">Tenant <code>${esc(status.tenantId)}</code> on <code>${esc(status.connection)}</code> · exported ${esc(exportedAt)} · ${
    status.complete ? '<strong>complete</strong>' : `at step ${esc(status.current ?? '')}`
  }</p>
<h2>Go-live checklist</h2>
<ol class="steps">${steps}</ol>
<h2>Single sign-on</h2>${sso}
<h2>SCIM provisioning</h2><div data-testid="export-scim" data-path="${setup?.path ?? ''}">${scim}</div>
<h2>Go live</h2>${goLive}
<p class="reminder" data-testid="export-assignment">${esc(reminder)}</p>
<section class="report">${part ? part.body : '<p>No pre-go-live test has been run for this tenant.</p>'}</section>
</body></html>
`
  return redactString(html)
}

function signInLine(status: OnboardingStatus): string {
  const r = status.sso.signInTest?.result
  if (r?.outcome === 'success') {
    const scim = r.scimUser ? `SCIM user ${r.scimUser.userName}` : 'not provisioned by SCIM'
    return `${r.userName ?? r.nameId ?? '?'} signed in at ${r.time} (${scim})`
  }
  if (status.sso.signInSkipped) return `skipped: ${status.sso.signInSkipped.reason}`
  if (r) return `refused at ${r.time}: ${r.reason ?? 'unknown reason'}`
  return '(not run)'
}
