import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, type Page } from '@playwright/test'
import {
  oktaAssign,
  oktaDeactivate,
  scimCall,
  type ScimCaller,
} from '../test/support/log-test-support.ts'
import {
  buildResponse,
  createTestIdp,
  encodePost,
  idpMetadataXml,
  postToAcs,
  signResponse,
} from '../test/support/saml-idp.ts'
import { defaultTarget, fixturesDir, hostCall, type RunningWebHost } from './web-host-fixture.ts'

export type Target = { connection: string; tenantId: string }

/**
 * A tenant as an admin finds it a week into onboarding: SSO pushed with a sign-in and a refusal in
 * the SSO log, tokens (one revoked), Okta's requests in the provisioning log (a create refused
 * with 400, a deactivation), and a passed pre-go-live test.
 */
export async function seedRealisticTenant(host: RunningWebHost): Promise<Target> {
  const target = await defaultTarget(host)
  const idp = await createTestIdp()
  await hostCall(host, 'onboarding.confirmConnect', target)
  await hostCall(host, 'sso.push', {
    ...target,
    source: { kind: 'text', text: idpMetadataXml(idp), name: 'okta-metadata.xml' },
  })
  await hostCall(host, 'onboarding.confirmSso', target)
  await hostCall(host, 'onboarding.skipSignInTest', {
    ...target,
    reason: 'signed in from the Okta dashboard instead',
  })

  const old = await hostCall<{ id: string }>(host, 'tokens.create', {
    ...target,
    label: 'Okta (first try)',
  })
  const token = await hostCall<{ id: string; secret: string }>(host, 'tokens.create', {
    ...target,
    label: 'Okta provisioning',
  })
  await hostCall(host, 'tokens.create', { ...target, label: 'Entra pilot' })
  await hostCall(host, 'tokens.revoke', { ...target, tokenId: old.id })
  await hostCall(host, 'onboarding.confirmScim', {
    ...target,
    tokenId: token.id,
    oktaApp: 'header',
  })

  const { scimBaseUrl } = await hostCall<{ scimBaseUrl: string }>(host, 'tokens.list', target)
  const scim: ScimCaller = (path, init = {}) => scimCall(scimBaseUrl, token.secret, path, init)
  const jane = (await oktaAssign(scim, 'jane.doe@acme.com'))!
  await oktaDeactivate(scim, jane)
  await oktaAssign(scim, 'bob.smith@acme.com', { extra: { title: ['Engineer'] } })
  await oktaAssign(scim, 'carol.king@acme.com')

  // The SSO log: one sign-in and one refusal (audience typed wrong in Okta), IdP-initiated.
  const overview = await hostCall<{ sso: { sp: { acsUrl: string; entityId: string } } }>(
    host,
    'connections.overview',
    target,
  )
  const sp = overview.sso.sp
  for (const [who, audience] of [
    ['carol.king@acme.com', sp.entityId],
    ['grace@acme.com', 'https://wrong.example.com/sp'],
  ] as const) {
    await postToAcs(
      sp.acsUrl,
      encodePost(
        signResponse(
          buildResponse({
            issuer: idp.entityId,
            audience,
            acsUrl: sp.acsUrl,
            nameId: who,
          }),
          idp.key,
        ),
      ),
    )
  }

  // The pre-go-live test with Okta's token, to the end.
  await hostCall(host, 'onboarding.startTest', target)
  await expect
    .poll(
      async () =>
        (await hostCall<{ test: { outcome: string | null } | null }>(
          host,
          'onboarding.status',
          target,
        ))!.test?.outcome ?? null,
      { timeout: 120_000 },
    )
    .not.toBeNull()
  return target
}

/** The Okta metadata file from the fixtures, for screens that inspect one. */
export const oktaMetadata = (): string =>
  readFileSync(join(fixturesDir, 'okta-app-trial-org.xml'), 'utf8')

export interface LayoutProblem {
  what: string
  detail: string
}

/**
 * What does not fit at this window size: the page or a main container scrolling sideways, a
 * card's content sticking out of it, and primary text (headings, buttons, labels, table heads)
 * cut off. Run in the page (as a string: this project's e2e code has no DOM types), so it reads
 * the real layout.
 */
export async function layoutProblems(page: Page): Promise<LayoutProblem[]> {
  return page.evaluate<LayoutProblem[]>(LAYOUT_PROBE)
}

const LAYOUT_PROBE = `(() => {
  const problems = []
  const describe = (el) => {
    const id = el.getAttribute('data-testid')
    const text = (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 60)
    const cls = typeof el.className === 'string' && el.className ? '.' + el.className.split(' ')[0] : ''
    return el.tagName.toLowerCase() + (id ? '[data-testid=' + id + ']' : '') + cls + ' “' + text + '”'
  }
  const visible = (el) => {
    const r = el.getBoundingClientRect()
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden'
  }
  const root = document.documentElement
  if (root.scrollWidth > root.clientWidth + 1)
    problems.push({ what: 'page scrolls sideways', detail: root.scrollWidth + 'px' })
  for (const el of document.querySelectorAll(
    'main.content, .screen, .card, .log-table, .ob-layout, .ob-main, .table',
  )) {
    if (!visible(el)) continue
    const style = getComputedStyle(el)
    // A container that scrolls on purpose (code, a table wrapper) says so with overflow: auto.
    if (style.overflowX === 'auto' || style.overflowX === 'scroll') continue
    if (el.scrollWidth > el.clientWidth + 1)
      problems.push({
        what: 'overflows sideways',
        detail: describe(el) + ': ' + el.scrollWidth + ' > ' + el.clientWidth,
      })
  }
  const main = document.querySelector('main.content').getBoundingClientRect()
  for (const el of document.querySelectorAll(
    'h1, h2, h3, .card-title, button, .nav-item, th, [role=columnheader], label, .tag',
  )) {
    if (!visible(el) || el.closest('.visually-hidden, .skip-link')) continue
    const style = getComputedStyle(el)
    const clips = style.overflowX !== 'visible' || style.textOverflow === 'ellipsis'
    if (clips && el.scrollWidth > el.clientWidth + 1)
      problems.push({ what: 'clipped text', detail: describe(el) })
    const r = el.getBoundingClientRect()
    const inMain = el.closest('main.content') !== null
    const card = el.closest('.card')
    const box = card ? card.getBoundingClientRect() : inMain ? main : null
    // The log's detail panel overlays the table: it is measured as a card of its own.
    if (box && (r.right > box.right + 1 || r.left < box.left - 1))
      problems.push({ what: 'sticks out of its box', detail: describe(el) })
  }
  return problems
})()`
