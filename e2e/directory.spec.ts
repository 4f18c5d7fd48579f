import { join } from 'node:path'
import type { Page } from '@playwright/test'
import {
  oktaAssign,
  oktaDeactivate,
  oktaPushGroup,
  scimCall,
  type ScimCaller,
} from '../test/support/log-test-support.ts'
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
 * Issue 13, item 10: "is the user there, and in which groups?". The Directory through the web
 * host, on a web host of its own (it counts the tenant's users): Okta's real request sequences
 * sent from here, the page showing who is in the tenant, live.
 */

/** More than one page (50) of users, so "Load more" has work to do. */
const PEOPLE = Array.from(
  { length: 53 },
  (_, i) => `person.${String(i + 1).padStart(2, '0')}@acme.com`,
)

let scim: ScimCaller
const ids = new Map<string, string>()

async function openDirectory(page: Page, host: RunningWebHost): Promise<void> {
  await page.goto(host.pageUrl)
  await page.getByTestId('nav-directory').click()
  await expect(page.getByTestId('directory-screen')).toBeVisible()
  await expect(page.getByTestId('stream-state')).toHaveAttribute('data-state', 'live')
}

const userRows = (page: Page) => page.getByTestId('directory-user-row')
const userRow = (page: Page, userName: string) =>
  page.locator(`[data-testid="directory-user-row"][data-user-name="${userName}"]`)

test.describe.configure({ mode: 'serial' })

let webHost: Awaited<ReturnType<typeof startWebHost>>

// Its own web host: it counts the tenant's users, and the specs sharing a worker's host send
// (and deactivate) users of the same names.
test.beforeAll(async () => {
  webHost = await startWebHost()
})
test.afterAll(async () => {
  await webHost?.stop()
})

test.describe('the Directory through the web host', () => {
  test.beforeAll(async () => {
    test.setTimeout(120_000)
    const target = await defaultTarget(webHost)
    const created = await hostCall<{ secret: string }>(webHost, 'tokens.create', {
      ...target,
      label: 'Okta e2e directory',
    })
    const { scimBaseUrl } = await hostCall<{ scimBaseUrl: string }>(webHost, 'tokens.list', target)
    scim = (path, init = {}) => scimCall(scimBaseUrl, created.secret, path, init)

    // As Okta would: match then create each assigned user, deactivate one, push two groups.
    for (const userName of ['jane.doe@acme.com', 'bob.smith@acme.com', ...PEOPLE]) {
      ids.set(userName, (await oktaAssign(scim, userName))!)
    }
    expect(await oktaDeactivate(scim, ids.get('bob.smith@acme.com')!)).toBe(200)
    const member = (userName: string) => ({ id: ids.get(userName)!, userName })
    await oktaPushGroup(scim, 'Sales', [
      member('jane.doe@acme.com'),
      member('bob.smith@acme.com'),
      member(PEOPLE[0]!),
    ])
    await oktaPushGroup(scim, 'Engineering', [member('jane.doe@acme.com')])
  })

  test('lists users with state, groups, source and last change; pages past 50; search narrows', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 1400, height: 900 })
    await openDirectory(page, webHost)

    await expect(userRows(page)).toHaveCount(50)
    await expect(page.getByTestId('directory-count')).toHaveText('Showing 50 of 55 users')
    const jane = userRow(page, 'jane.doe@acme.com')
    await expect(jane.getByTestId('directory-state')).toHaveText('Active')
    await expect(jane.getByTestId('directory-user-groups')).toContainText('Sales')
    await expect(jane.getByTestId('directory-user-groups')).toContainText('Engineering')
    await expect(jane.getByTestId('directory-source')).toHaveText('Okta')
    await expect(jane.getByTestId('directory-source')).toHaveAttribute(
      'title',
      'Okta SCIM Client 1.0.0',
    )
    await expect(jane.getByTestId('directory-last-change')).toContainText('Groups changed')
    const bob = userRow(page, 'bob.smith@acme.com')
    await expect(bob.getByTestId('directory-state')).toHaveText('Inactive')
    // The dated last change: bob's deactivation came before his group push.
    await expect(bob.getByTestId('directory-last-change')).toContainText(
      /Groups changed\d{1,2} \w{3} \d{4}, \d\d:\d\d UTC/,
    )

    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme })
      await page.screenshot({ path: join(artifactsDir, `directory-users-1400x900-${scheme}.png`) })
    }
    await page.emulateMedia({ colorScheme: 'light' })

    await page.getByTestId('directory-more').click()
    await expect(userRows(page)).toHaveCount(55)
    await expect(page.getByTestId('directory-count')).toHaveText('Showing 55 of 55 users')
    await expect(page.getByTestId('directory-more')).toHaveCount(0)

    await page.getByTestId('directory-search').fill('JANE')
    await expect(userRows(page)).toHaveCount(1)
    await expect(userRows(page)).toHaveAttribute('data-user-name', 'jane.doe@acme.com')
    await expect(page.getByTestId('directory-count')).toHaveText('Showing 1 of 1 users')
    await page.getByTestId('directory-search').fill('person.5')
    await expect(userRows(page)).toHaveCount(4) // person.50 … person.53
  })

  test('a group shows its members, and a member links to the user', async ({ page }) => {
    await page.setViewportSize({ width: 1024, height: 700 })
    await openDirectory(page, webHost)
    await page.getByTestId('directory-tab-groups').click()
    const sales = page.locator('[data-testid="directory-group-row"][data-group="Sales"]')
    await expect(sales.getByTestId('directory-member-count')).toHaveText('3')
    await expect(sales.getByTestId('directory-source')).toHaveText('Okta')
    await sales.getByTestId('directory-group-open').click()
    const members = page.getByTestId('directory-member-row')
    await expect(members).toHaveCount(3)
    expect(
      await members.evaluateAll((els) => els.map((e) => e.getAttribute('data-member'))),
    ).toEqual(['jane.doe@acme.com', 'bob.smith@acme.com', PEOPLE[0]])
    await expect(
      page
        .locator('[data-testid="directory-member-row"][data-member="bob.smith@acme.com"]')
        .getByTestId('directory-state'),
    ).toHaveText('Inactive')
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme })
      await page.screenshot({ path: join(artifactsDir, `directory-groups-1024x700-${scheme}.png`) })
    }
    await page.emulateMedia({ colorScheme: 'light' })

    await page
      .locator('[data-testid="directory-member-row"][data-member="bob.smith@acme.com"]')
      .getByTestId('directory-member-link')
      .click()
    await expect(page.getByTestId('directory-tab-users')).toHaveAttribute('aria-selected', 'true')
    await expect(userRows(page)).toHaveCount(1)
    await expect(userRows(page)).toHaveAttribute('data-user-name', 'bob.smith@acme.com')
  })

  test('fits 1024×700 in light and dark', async ({ page }) => {
    await page.setViewportSize({ width: 1024, height: 700 })
    await openDirectory(page, webHost)
    await expect(userRows(page)).toHaveCount(50)
    // Nothing wider than the window: the table scrolls inside its own frame if it must.
    const overflow = await page.evaluate<number>(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    )
    expect(overflow).toBeLessThanOrEqual(0)
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme })
      await page.screenshot({ path: join(artifactsDir, `directory-users-1024x700-${scheme}.png`) })
    }
    await page.emulateMedia({ colorScheme: 'light' })
  })

  test("a user's Story link opens the log's story for that user", async ({ page }) => {
    await openDirectory(page, webHost)
    await userRow(page, 'bob.smith@acme.com').getByTestId('directory-story').click()
    await expect(page.getByTestId('log-screen')).toBeVisible()
    const story = page.getByTestId('user-story')
    await expect(story).toHaveAttribute('data-query', 'bob.smith@acme.com')
    await expect(story.getByTestId('story-current')).toHaveAttribute('data-kind', 'found')
    await expect(story.getByTestId('story-active')).toHaveText('inactive')
  })

  test('a user Okta sends while the screen is open appears without a reload', async ({ page }) => {
    await openDirectory(page, webHost)
    await page.getByTestId('directory-search').fill('late.arrival')
    await expect(page.getByTestId('directory-count')).toHaveText('No users')

    const id = await oktaAssign(scim, 'late.arrival@acme.com')
    expect(id).toBeDefined()
    await expect(userRow(page, 'late.arrival@acme.com')).toBeVisible()
    await expect(
      userRow(page, 'late.arrival@acme.com').getByTestId('directory-last-change'),
    ).toContainText('Created')
    await expect(page.getByTestId('directory-tab-users')).toContainText('1')
  })

  test('passes axe (WCAG 2.1 AA) in light and dark, and works from the keyboard', async ({
    page,
  }) => {
    test.setTimeout(120_000)
    await openDirectory(page, webHost)
    await expect(userRows(page)).toHaveCount(50)
    expect(await axeReport(page, 'directory: users')).toBe('')

    // Tab to the tab list, arrow to Groups, Tab into the search, on to the first group, Enter.
    await page.getByTestId('directory-tab-users').focus()
    await page.keyboard.press('ArrowRight')
    await expect(page.getByTestId('directory-tab-groups')).toBeFocused()
    await expect(page.getByTestId('directory-tab-groups')).toHaveAttribute('aria-selected', 'true')
    await page.keyboard.press('Tab')
    await expect(page.getByTestId('directory-search')).toBeFocused()
    const firstGroup = page.getByTestId('directory-group-open').first()
    await firstGroup.focus()
    await page.keyboard.press('Enter')
    await expect(firstGroup).toHaveAttribute('aria-expanded', 'true')
    await expect(page.getByTestId('directory-member-row').first()).toBeVisible()
    expect(await axeReport(page, 'directory: group members')).toBe('')
  })
})
