import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test as base, type Page } from '@playwright/test'
import {
  oktaAssign,
  oktaDeactivate,
  oktaLookupPath,
  scimCall,
  type ScimCaller,
} from '../test/support/log-test-support.ts'
import {
  defaultTarget,
  artifactsDir,
  expect,
  startWebHost,
  type RunningWebHost,
  hostCall,
} from './web-host-fixture.ts'

/**
 * A web host of this spec's own (a worker fixture declared in this file, so no other spec's
 * events, such as a conformance run still cleaning up, reach the tenant whose events it counts).
 */
const test = base.extend<object, { webHost: RunningWebHost }>({
  webHost: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
    async ({}, use) => {
      const host = await startWebHost()
      await use(host)
      await host.stop()
    },
    { scope: 'worker' },
  ],
})

/**
 * The provisioning log through the web host: the embedded reference backend, a SCIM token made
 * by the console, and Okta's real request sequences sent from here while the page watches.
 */

let scim: ScimCaller

async function openLog(page: Page, host: RunningWebHost): Promise<void> {
  await page.goto(host.pageUrl)
  await page.getByTestId('nav-log').click()
  await expect(page.getByTestId('log-screen')).toBeVisible()
  await expect(page.getByTestId('stream-state')).toHaveAttribute('data-state', 'live')
}

const rows = (page: Page) => page.getByTestId('log-row')

test.describe.configure({ mode: 'serial' })

test.describe('provisioning log through the web host', () => {
  test.beforeAll(async ({ webHost }) => {
    const target = await defaultTarget(webHost)
    // A token the console made and holds (the replay uses it too), registered with the backend.
    const created = await hostCall<{ secret: string }>(webHost, 'tokens.create', {
      ...target,
      label: 'Okta e2e log',
    })
    const { scimBaseUrl } = await hostCall<{ scimBaseUrl: string }>(webHost, 'tokens.list', target)
    scim = (path, init = {}) => scimCall(scimBaseUrl, created.secret, path, init)
  })

  test('streams Okta’s requests live, filters to one user and explains the deactivation', async ({
    page,
    webHost,
  }) => {
    await openLog(page, webHost)
    const before = Number(await page.getByTestId('log-table').getAttribute('data-total'))

    const janeId = (await oktaAssign(scim, 'jane.doe@acme.com'))!
    expect(await oktaDeactivate(scim, janeId)).toBe(200)
    // A custom mapping that sends title as a list: Okta's create is refused with 400.
    expect(
      await oktaAssign(scim, 'bob.smith@acme.com', { extra: { title: ['Engineer'] } }),
    ).toBeUndefined()
    expect(await oktaAssign(scim, 'carol.king@acme.com')).toBeDefined()

    // Seven requests arrive without a reload.
    await expect(page.getByTestId('log-table')).toHaveAttribute('data-total', String(before + 7))
    await expect(rows(page).filter({ hasText: 'bob.smith@acme.com' })).toHaveCount(2)
    await expect(page.locator('[data-testid="log-row"][data-status="400"]')).toHaveCount(1)
    await page.screenshot({ path: join(artifactsDir, 'log-live.png'), fullPage: true })

    await page.getByTestId('filter-user').fill('jane.doe@acme.com')
    await page.getByTestId('filter-user').press('Enter')
    await expect(page.getByTestId('log-table')).toHaveAttribute('data-total', '3')
    await expect(rows(page)).toHaveCount(3)
    for (const user of await rows(page).evaluateAll((els) =>
      els.map((e) => e.getAttribute('data-user')),
    ))
      expect(user).toBe('jane.doe@acme.com')

    // The deactivating PATCH, with its body pretty-printed and a redacted header.
    await rows(page).filter({ hasText: 'PATCH' }).click()
    const detail = page.getByTestId('event-detail')
    await expect(detail.getByTestId('detail-status')).toHaveText('200')
    await expect(detail.getByTestId('detail-request-body')).toContainText('"active": false')
    await expect(detail).toContainText('Bearer [REDACTED]')

    await detail.getByTestId('detail-user-story').click()
    const story = page.getByTestId('user-story')
    await expect(story.getByTestId('story-verdict')).toHaveAttribute('data-verdict', 'problem')
    const finding = story.locator('[data-testid="story-finding"][data-cause="deactivated"]')
    await expect(finding).toBeVisible()
    await expect(finding).toContainText('Fix:')
    await expect(story.getByTestId('story-current')).toHaveAttribute('data-kind', 'found')
    await expect(story.getByTestId('story-active')).toHaveText('inactive')
    await expect(story.getByTestId('story-event')).toHaveCount(3)

    // Evidence is clickable and opens the proving event.
    const evidence = finding.getByTestId('story-evidence').first()
    const seq = await evidence.getAttribute('data-seq')
    await evidence.click()
    await expect(page.getByTestId('event-detail')).toHaveAttribute('data-seq', seq!)
    await page.screenshot({ path: join(artifactsDir, 'log-story-deactivated.png'), fullPage: true })
  })

  test('explains a refused create from the search box, and replays the user after confirming', async ({
    page,
    webHost,
  }) => {
    await openLog(page, webHost)
    await page.getByTestId('story-search').fill('bob.smith@acme.com')
    await page.getByTestId('story-search-submit').click()
    const story = page.getByTestId('user-story')
    const finding = story.locator('[data-testid="story-finding"][data-cause="create_rejected"]')
    await expect(finding).toContainText('title')
    await expect(story.getByTestId('story-current')).toHaveAttribute('data-kind', 'not_found')

    await story.getByTestId('replay-start').click()
    await expect(story.getByTestId('replay-confirm')).toContainText('writes to the tenant')
    await story.getByTestId('replay-confirm-yes').click()
    const result = story.getByTestId('replay-result')
    // The console's own request body has no list-valued title: Okta's sequence goes through.
    await expect(result).toHaveAttribute('data-outcome', 'completed')
    await expect(result.getByTestId('replay-step').first()).toContainText('Look up the user')
    await expect(result.locator('[data-testid="replay-step"][data-ok="false"]')).toHaveCount(0)
    await page.screenshot({ path: join(artifactsDir, 'log-replay.png'), fullPage: true })

    await story.getByTestId('story-refresh').click()
    await expect(story.getByTestId('story-current')).toHaveAttribute('data-kind', 'found')
    // The timeline tells Okta's two refused attempts from the replay's three requests.
    await expect(story.getByTestId('story-event')).toHaveCount(5)
    expect(
      await story
        .getByTestId('story-event')
        .evaluateAll((els) =>
          els.map((el) => el.querySelector('[data-testid="source-badge"]')?.textContent),
        ),
    ).toEqual(['Okta', 'Okta', 'Replay', 'Replay', 'Replay'])

    // The story's user as the table's filter: the two refused attempts; the replay's three are
    // the console's test traffic, hidden until shown.
    await story.getByTestId('story-filter-table').click()
    await expect(page.getByTestId('filter-user')).toHaveValue('bob.smith@acme.com')
    await expect(page.getByTestId('log-table')).toHaveAttribute('data-total', '2')
    await expect(page.getByTestId('log-test-traffic-toggle')).toHaveText('Show test traffic (3)')
    await page.getByTestId('log-test-traffic-toggle').click()
    await expect(page.getByTestId('log-table')).toHaveAttribute('data-total', '5')
    await expect(rows(page).filter({ hasText: 'bob.smith@acme.com' })).toHaveCount(5)
    await page.getByTestId('log-test-traffic-toggle').click()
  })

  test('stops following when scrolled up, counts new events and jumps back', async ({
    page,
    webHost,
  }) => {
    await page.setViewportSize({ width: 1280, height: 720 })
    await openLog(page, webHost)
    const table = page.getByTestId('log-table')
    await expect(table).not.toHaveAttribute('data-total', '0')
    const before = Number(await table.getAttribute('data-total'))
    for (let i = 0; i < 30; i++) await scim(oktaLookupPath(`probe${i}@acme.com`))
    const total = before + 30
    await expect(table).toHaveAttribute('data-total', String(total))
    await expect(page.getByTestId('log-count')).toContainText('following new events')
    // Following: the newest row is rendered.
    await expect(rows(page).filter({ hasText: 'probe29' })).toHaveCount(1)

    await page.getByTestId('log-scroll').evaluate((el) => {
      el.scrollTop = 0
    })
    await expect(page.getByTestId('log-count')).toContainText('not following')
    await scim(oktaLookupPath('late1@acme.com'))
    await scim(oktaLookupPath('late2@acme.com'))
    await expect(page.getByTestId('log-table')).toHaveAttribute('data-total', String(total + 2))
    await expect(page.getByTestId('log-jump-latest')).toHaveText('2 new events — jump to latest')
    await expect(rows(page).filter({ hasText: 'late2' })).toHaveCount(0)
    await page.getByTestId('log-jump-latest').scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(artifactsDir, 'log-scrolled-back.png') })

    await page.getByTestId('log-jump-latest').click()
    await expect(rows(page).filter({ hasText: 'late2' })).toHaveCount(1)
    await expect(page.getByTestId('log-jump-latest')).toHaveCount(0)
  })

  test('pauses and resumes the stream without losing events', async ({ page, webHost }) => {
    await openLog(page, webHost)
    await page.getByTestId('stream-toggle').click()
    await expect(page.getByTestId('stream-state')).toHaveAttribute('data-state', 'paused')
    await expect(page.getByTestId('stream-toggle')).toHaveText('Resume')
    await scim(oktaLookupPath('while.paused@acme.com'))
    await page.getByTestId('stream-toggle').click()
    await expect(page.getByTestId('stream-state')).toHaveAttribute('data-state', 'live')
    await expect(rows(page).filter({ hasText: 'while.paused' })).toHaveCount(1)

    // Leaving the screen and coming back shows the stream as it is, not a stale "connecting".
    await page.getByTestId('nav-tokens').click()
    await page.getByTestId('nav-log').click()
    await expect(page.getByTestId('stream-state')).toHaveAttribute('data-state', 'live')
    await expect(rows(page).filter({ hasText: 'while.paused' })).toHaveCount(1)
  })

  test('exports the filtered events as CSV, and looks right in dark mode', async ({
    page,
    webHost,
  }) => {
    await page.emulateMedia({ colorScheme: 'dark' })
    await openLog(page, webHost)
    await page.getByTestId('filter-status-4xx').click()
    await expect(page.getByTestId('log-table')).toHaveAttribute('data-total', '1')
    await rows(page).first().click()
    await expect(page.getByTestId('detail-error')).toContainText('title')
    // Okta sends a placeholder password in every create; it never reaches the screen.
    await expect(page.getByTestId('detail-request-body')).toContainText('bob.smith@acme.com')
    await expect(page.getByTestId('detail-request-body')).not.toContainText('1mz050nq')
    await page.screenshot({ path: join(artifactsDir, 'log-dark-4xx.png'), fullPage: true })

    const download = page.waitForEvent('download')
    await page.getByTestId('export-csv').click()
    const file = await download
    expect(file.suggestedFilename()).toMatch(/^provisioning-log-.*\.csv$/)
    const csv = readFileSync((await file.path())!, 'utf8')
      .trim()
      .split('\r\n')
    expect(csv[0]).toMatch(/^seq,time,method,path,status/)
    expect(csv).toHaveLength(2)
    expect(csv[1]).toContain(',400,')
    await expect(page.getByTestId('export-done')).toContainText('1 events')
  })
})
