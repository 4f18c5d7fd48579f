import {
  buildResponse,
  createTestIdp,
  encodePost,
  idpMetadataXml,
  postToAcs,
  signResponse,
  startTestIdpServer,
  type TestIdp,
  type TestIdpServer,
} from '../test/support/saml-idp.ts'
import {
  defaultTarget,
  expect,
  startWebHost,
  hostCall,
  screenshotPage,
} from './web-host-fixture.ts'
import { test } from './web-host-fixture.ts'

/**
 * The "done when" for the console: the onboarding's sign-in test end to end through the
 * web host. The spec plays the IdP: a loopback HTTP endpoint (test/support/saml-idp.ts) that
 * answers the tenant's AuthnRequest with a signed response in an auto-posting form, which the
 * browser tab the console opened posts to the embedded backend's ACS. Then a refused sign-in
 * (wrong audience) explained on the Sign-in log screen, and the same response in the inspector.
 */

let host: Awaited<ReturnType<typeof startWebHost>>
let idp: TestIdp
let idpServer: TestIdpServer
let target: { connection: string; tenantId: string }
let sp: { acsUrl: string; entityId: string }

test.describe.configure({ mode: 'serial' })

// Its own web host: the onboarding state and the SSO log start empty.
test.beforeAll(async () => {
  host = await startWebHost()
  const key = await createTestIdp()
  idpServer = await startTestIdpServer(key, { who: 'ada@example.com' })
  idp = { ...key, ssoUrl: idpServer.ssoUrl }
  target = await defaultTarget(host)
  // Ada is provisioned by SCIM before she signs in, as Okta would have pushed her.
  const created = await hostCall<{ secret: string }>(host, 'tokens.create', {
    ...target,
    label: 'Okta e2e SSO',
  })
  const { scimBaseUrl } = await hostCall<{ scimBaseUrl: string }>(host, 'tokens.list', target)
  const res = await fetch(`${scimBaseUrl}/Users`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${created.secret}`,
      'Content-Type': 'application/scim+json',
    },
    body: JSON.stringify({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'ada@example.com',
      name: { givenName: 'Ada', familyName: 'Lovelace' },
      emails: [{ value: 'ada@example.com', primary: true, type: 'work' }],
      active: true,
    }),
  })
  expect(res.status).toBe(201)
})
test.afterAll(async () => {
  await host?.stop()
  await idpServer?.close()
})

test('the onboarding’s test sign-in shows who signed in and that SCIM provisioned them', async ({
  page,
  context,
}) => {
  test.setTimeout(90_000)
  await page.goto(host.pageUrl)
  await page.getByTestId('ob-connect-confirm').click()
  await expect(page.getByTestId('ob-panel-sso')).toBeVisible()

  // The test IdP's metadata, imported and pushed as a person would.
  await page.getByTestId('source-tab-paste').click()
  await page.getByTestId('paste-input').fill(idpMetadataXml(idp))
  await page.getByTestId('paste-submit').click()
  await expect(page.getByTestId('ob-metadata-status')).toHaveAttribute('data-ok', 'true')
  await page.getByTestId('sso-push-start').click()
  await page.getByTestId('sso-push').click()
  await expect(page.getByTestId('sso-push-done')).toBeVisible()
  await page.getByTestId('ob-sso-confirm').click()

  // The SP values alone no longer finish the step.
  await expect(page.getByTestId('ob-step-sso')).not.toHaveAttribute('data-status', 'done')
  await expect(page.getByTestId('sso-signin')).toBeVisible()

  // The console opens the SP-initiated login in a new tab: backend → IdP → form posted to the ACS.
  const tab = context.waitForEvent('page')
  await page.getByTestId('sso-signin-start').click()
  const idpTab = await tab
  await idpTab.waitForURL(/\/saml\/acs/)
  await expect(idpTab.locator('body')).toContainText('ada@example.com')
  await idpTab.close()

  const result = page.getByTestId('sso-signin-result')
  await expect(result).toHaveAttribute('data-outcome', 'success')
  await expect(page.getByTestId('sso-signin-user')).toHaveText('Signed in as ada@example.com')
  await expect(page.getByTestId('sso-signin-scim')).toContainText('Provisioned by SCIM')
  await expect(page.getByTestId('sso-signin-scim')).toContainText('ada@example.com')
  await expect(result).toContainText('FirstName')
  await expect(result).toContainText('Lovelace')
  await expect(page.getByTestId('ob-step-sso')).toHaveAttribute('data-status', 'done')
  await expect(page.getByTestId('ob-step-sso')).toContainText('ada@example.com')
  await screenshotPage(page, 'sso-signin-1-onboarding.png')
  await page.getByTestId('sso-signin-continue').click()
  await expect(page.getByTestId('ob-panel-scim')).toBeVisible()
})

test('a refused sign-in (wrong audience) is explained on the Sign-in log screen and in the inspector', async ({
  page,
}) => {
  test.setTimeout(60_000)
  const overview = await hostCall<{ sso: { sp: { acsUrl: string; entityId: string } } }>(
    host,
    'connections.overview',
    target,
  )
  sp = overview.sso.sp
  // IdP-initiated, audience typed wrong in Okta's "Audience URI (SP Entity ID)".
  const response = encodePost(
    signResponse(
      buildResponse({
        issuer: idp.entityId,
        audience: 'https://wrong.example.com/sp',
        acsUrl: sp.acsUrl,
        nameId: 'grace@example.com',
      }),
      idp.key,
    ),
  )
  const refused = await postToAcs(sp.acsUrl, response)
  expect(refused.status).toBe(403)

  await page.goto(host.pageUrl)
  await page.getByTestId('nav-sso-log').click()
  await expect(page.getByTestId('sso-log-screen')).toBeVisible()
  const row = page.locator('[data-testid="sso-event-row"][data-outcome="failure"]')
  await expect(row).toContainText('grace@example.com')
  await expect(row).toContainText('saml.audience_mismatch')
  await expect(page.locator('[data-testid="sso-event-row"][data-outcome="success"]')).toContainText(
    'ada@example.com',
  )

  await page.getByTestId('sso-story-user').fill('grace@example.com')
  await page.getByTestId('sso-story-go').click()
  const story = page.getByTestId('sso-story')
  await expect(story).toHaveAttribute('data-verdict', 'cannot_sign_in')
  const finding = story.locator('[data-testid="sso-story-finding"]')
  await expect(finding).toHaveAttribute('data-code', 'saml.audience_mismatch')
  await expect(finding).toContainText('https://wrong.example.com/sp')
  await expect(finding.getByTestId('sso-fix-okta')).toContainText('Audience URI')

  await page.getByTestId('saml-inspector-text').fill(response)
  await page.getByTestId('saml-inspector-run').click()
  const verdict = page.getByTestId('saml-inspector-verdict')
  await expect(verdict).toHaveAttribute('data-verdict', 'invalid')
  await expect(verdict).toContainText('saml.audience_mismatch')
  await expect(page.getByTestId('saml-inspector-signature')).toContainText('verified with')
  await screenshotPage(page, 'sso-signin-2-log.png')
})
