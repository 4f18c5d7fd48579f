import type { SsoEvent } from './sso-event-store.ts'

const esc = (s: string): string =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')

function page(title: string, body: string, outcome: string, reason: string): string {
  // No script, no external resource: the page only reports.
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:46rem;margin:3rem auto;padding:0 1rem}code{background:#f3f3f3;padding:0 .25em}dt{font-weight:600}</style>
</head><body data-outcome="${esc(outcome)}" data-reason="${esc(reason)}">
<h1>${esc(title)}</h1>
${body}
</body></html>
`
}

/** The page the browser lands on after the ACS: who signed in, or why not. */
export function signInPage(e: SsoEvent): string {
  if (e.outcome === 'success') {
    const who = e.userName ?? '(unknown)'
    const scim = e.scimUser
      ? `SCIM user found: <code>${esc(e.scimUser.userName)}</code> (id ${esc(e.scimUser.id)}${e.scimUser.active ? '' : ', INACTIVE'})`
      : 'not provisioned: no SCIM user has this userName or e-mail'
    const attrs = (e.assertion?.attributes ?? [])
      .map((a) => `<dt>${esc(a.name)}</dt><dd>${esc(a.values.join(', '))}</dd>`)
      .join('')
    return page(
      `Signed in as ${who} (${e.scimUser ? 'SCIM user found' : 'not provisioned'})`,
      `<p id="scim-status">${scim}.</p><p>Flow: ${esc(e.flow)}; SSO event #${e.seq}.</p><dl>${attrs}</dl>`,
      'success',
      '',
    )
  }
  return page(
    'Sign-in refused',
    `<p><code id="reason">${esc(e.reason ?? '')}</code></p><p>${esc(e.message)}</p>${e.hint ? `<p>Fix: ${esc(e.hint)}</p>` : ''}<p>SSO event #${e.seq}; <code>scim-console sso explain</code> tells the whole story.</p>`,
    'failure',
    e.reason ?? '',
  )
}

export function messagePage(title: string, message: string, reason: string): string {
  return page(title, `<p>${esc(message)}</p>`, 'failure', reason)
}
