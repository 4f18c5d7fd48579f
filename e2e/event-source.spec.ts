import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { oktaAssign, scimCall, type ScimCaller } from '../test/support/log-test-support.ts'
import { axeReport } from './accessibility-support.ts'
import {
  defaultTarget,
  artifactsDir,
  expect,
  hostCall,
  startWebHost,
  test,
  type RunningWebHost,
} from './web-host-fixture.ts'

/**
 * Issue #13 item 4 through the web host: the console's own test traffic is kept apart from the
 * IdP's. The pre-go-live test (the real harness, with its expected 400/404/409s) runs against the
 * embedded backend, then Okta's request sequence arrives (User-Agent "Okta SCIM Client 1.0.0",
 * the tenant's token) and one curl. The log hides the harness rows by default and shows them with
 * one click, each row's source is right, and the diagnosis of a user the IdP never sent counts
 * Okta's traffic only.
 */

interface HarnessReport {
  runId: string
  outcome: string
}

let scim: ScimCaller
let report: HarnessReport
let curl: () => Promise<number>

const table = (page: Page) => page.getByTestId('log-table')
const rows = (page: Page) => page.getByTestId('log-row')

async function openLog(page: Page, host: RunningWebHost): Promise<void> {
  await page.goto(host.pageUrl)
  await page.getByTestId('nav-log').click()
  await expect(page.getByTestId('log-screen')).toBeVisible()
  await expect(page.getByTestId('stream-state')).toHaveAttribute('data-state', 'live')
}

test.describe.configure({ mode: 'serial' })

let webHost: Awaited<ReturnType<typeof startWebHost>>

// Its own web host: it counts the tenant's rows, so the users other specs send through a worker's
// shared host (the Directory's dozens) must not land in its tenant.
test.beforeAll(async () => {
  webHost = await startWebHost()
})
test.afterAll(async () => {
  await webHost?.stop()
})

test.describe('event sources: test traffic kept apart from the IdP’s', () => {
  test.beforeAll(async () => {
    test.setTimeout(120_000)
    const target = await defaultTarget(webHost)
    const token = await hostCall<{ id: string; secret: string }>(webHost, 'tokens.create', {
      ...target,
      label: 'Okta e2e sources',
    })
    const { scimBaseUrl } = await hostCall<{ scimBaseUrl: string }>(webHost, 'tokens.list', target)

    // The pre-go-live test with the same token Okta will use, as the Conformance screen starts it.
    const { runId } = await hostCall<{ runId: string }>(webHost, 'harness.start', {
      baseUrl: scimBaseUrl,
      profile: 'okta',
      token: { source: 'keychain', ...target, tokenId: token.id },
    })
    for (;;) {
      const r = await hostCall<{ report: HarnessReport | null }>(webHost, 'harness.report', {
        runId,
      })
      if (r.report) {
        report = r.report
        break
      }
      await new Promise((done) => setTimeout(done, 250))
    }
    expect(report.outcome).toBe('passed')

    // Then Okta assigns two users (lookup + create each), and someone tries curl.
    scim = (path, init = {}) => scimCall(scimBaseUrl, token.secret, path, init)
    expect(await oktaAssign(scim, 'bob@acme.com')).toBeDefined()
    expect(await oktaAssign(scim, 'carol@acme.com')).toBeDefined()
    curl = async () => {
      const res = await fetch(`${scimBaseUrl}/Users/no-such-user`, {
        headers: { Authorization: `Bearer ${token.secret}`, 'User-Agent': 'curl/8.5.0' },
      })
      await res.arrayBuffer()
      return res.status
    }
    expect(await curl()).toBe(404)
  })

  test('the log hides the harness rows by default, shows them after one click, and badges every row', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 1400, height: 900 })
    await openLog(page, webHost)
    // Okta's four requests and the curl: the harness's dozens are not in the table.
    await expect(table(page)).toHaveAttribute('data-total', '5')
    await expect(rows(page)).toHaveCount(5)
    const shown = await rows(page).evaluateAll((els) =>
      els.map((e) => [
        e.getAttribute('data-source'),
        e.querySelector('[data-testid="source-badge"]')?.textContent ?? '',
      ]),
    )
    expect(shown.filter(([s]) => s === 'idp')).toEqual(Array(4).fill(['idp', 'Okta']))
    expect(shown.filter(([s]) => s === 'other')).toEqual([['other', 'Other']])
    // None of the harness's expected refusals looks like Okta's: the only 4xx is the curl.
    await expect(page.locator('[data-testid="log-row"][data-status^="4"]')).toHaveCount(1)
    await page.screenshot({ path: join(artifactsDir, 'log-sources-hidden.png') })

    const toggle = page.getByTestId('log-test-traffic-toggle')
    await expect(toggle).toHaveText(/^Show test traffic \(\d+\)$/)
    const hidden = Number(await toggle.getAttribute('data-count'))
    expect(hidden).toBeGreaterThan(40)
    await toggle.click()
    await expect(toggle).toHaveText(`Hide test traffic (${hidden})`)
    await expect(table(page)).toHaveAttribute('data-total', String(5 + hidden))
    // Every badge at once (Okta, Other, Test run), readable in both schemes.
    await expect(
      page.locator('[data-testid="log-row"][data-source="harness"]').first(),
    ).toBeVisible()
    expect(await axeReport(page, 'log: every source shown')).toBe('')
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.screenshot({ path: join(artifactsDir, 'log-sources-shown-dark.png') })
    await page.emulateMedia({ colorScheme: 'light' })
    await page.setViewportSize({ width: 1024, height: 700 })
    await page.screenshot({ path: join(artifactsDir, 'log-sources-shown-1024.png') })
    await page.setViewportSize({ width: 1400, height: 900 })

    // Only the harness's rows, through the Source filter: every one a "Test run" of this run.
    await page.getByTestId('filter-source-harness').click()
    await expect(table(page)).toHaveAttribute('data-total', String(hidden))
    await expect(toggle).toHaveCount(0)
    // The table fetches its visible window after the count: wait for the rows themselves.
    await expect.poll(() => rows(page).count()).toBeGreaterThan(10)
    const harnessRows = await rows(page).evaluateAll((els) =>
      els.map((e) => [
        e.getAttribute('data-source'),
        e.querySelector('[data-testid="source-badge"]')?.textContent ?? '',
      ]),
    )
    expect(harnessRows.length).toBeGreaterThan(10)
    for (const r of harnessRows) expect(r).toEqual(['harness', 'Test run'])
    // Its expected refusals are there, as the harness's.
    await page.getByTestId('filter-status-4xx').click()
    await expect(table(page)).not.toHaveAttribute('data-total', String(hidden))
    await expect(table(page)).not.toHaveAttribute('data-total', '0')
    await expect.poll(() => rows(page).count()).toBeGreaterThan(3)
    const refused = await rows(page).evaluateAll((els) =>
      els.map((e) => `${e.getAttribute('data-source')} ${e.getAttribute('data-status')?.[0]}`),
    )
    expect(refused.length).toBeGreaterThan(3)
    for (const r of refused) expect(r).toBe('harness 4')
    await page.getByTestId('filter-status-4xx').click()
    await expect(table(page)).toHaveAttribute('data-total', String(hidden))

    // The detail of a harness row names the run.
    await rows(page).first().click()
    const detail = page.getByTestId('event-detail')
    await expect(detail.getByTestId('detail-source')).toHaveAttribute('data-source', 'harness')
    await expect(detail.getByTestId('detail-run-id')).toHaveText(report.runId)
    await expect(detail.getByTestId('detail-user-agent')).toContainText(
      `scim-console-harness/0.1.0 (run ${report.runId})`,
    )
    await page.screenshot({ path: join(artifactsDir, 'log-sources-harness-detail.png') })
    await detail.getByRole('button', { name: 'Close' }).click()
    await page.getByTestId('filter-source-harness').click()

    // Back to hidden with one click; an Okta row's detail says Okta.
    await page.getByTestId('log-test-traffic-toggle').click()
    await expect(table(page)).toHaveAttribute('data-total', '5')
    await rows(page).filter({ hasText: 'carol@acme.com' }).first().click()
    await expect(detail.getByTestId('detail-source')).toHaveAttribute('data-source', 'idp')
    await expect(detail.getByTestId('detail-source')).toContainText('Okta')
    await expect(detail.getByTestId('detail-user-agent')).toHaveText('Okta SCIM Client 1.0.0')
  })

  test('the diagnosis of a user the IdP never sent counts Okta’s events and users, not the harness’s', async ({
    page,
  }) => {
    await openLog(page, webHost)
    await page.getByTestId('story-search').fill('jane@acme.com')
    await page.getByTestId('story-search-submit').click()
    const story = page.getByTestId('user-story')
    await expect(story.getByTestId('story-verdict')).toHaveAttribute('data-verdict', 'problem')
    const finding = story.locator('[data-testid="story-finding"][data-cause="no_requests"]')
    await expect(finding).toContainText('while requests for 2 other users did')
    await expect(finding).toContainText('the log has 4 events from it')
    await expect(finding).toContainText(
      /; \d+ requests from test runs and other clients are not counted/,
    )
    await expect(story.locator('[data-testid="story-finding"]')).toHaveCount(1)
    await page.screenshot({ path: join(artifactsDir, 'log-sources-diagnosis.png'), fullPage: true })
  })
})
