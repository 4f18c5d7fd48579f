import type { Page } from '@playwright/test'

/** The focused element's data-testid ('' for none), and its tag for messages. */
export async function focused(page: Page): Promise<string> {
  // A string expression: the e2e tsconfig has no DOM lib.
  return page.evaluate<string>(
    `(() => { const el = document.activeElement;
      return el?.getAttribute('data-testid') ?? '<' + (el?.tagName.toLowerCase() ?? 'none') + '>' })()`,
  )
}

/** An attribute of the focused element (null when it has none). */
export async function focusedAttr(page: Page, name: string): Promise<string | null> {
  return page.evaluate<string | null>(
    `document.activeElement?.getAttribute(${JSON.stringify(name)}) ?? null`,
  )
}

/** Whether focus is inside the element with this data-testid. */
export async function focusInside(page: Page, testId: string): Promise<boolean> {
  return page.evaluate<boolean>(
    `document.activeElement?.closest('[data-testid=${JSON.stringify(testId)}]') != null`,
  )
}

/**
 * Presses Tab (or Shift+Tab) until the element with this data-testid has focus, as a keyboard user
 * would: proves the control is in the Tab order. Fails naming every stop it passed.
 */
export async function tabTo(
  page: Page,
  testId: string,
  { back = false, max = 80 }: { back?: boolean; max?: number } = {},
): Promise<void> {
  const seen: string[] = []
  for (let i = 0; i < max; i++) {
    const now = await focused(page)
    if (now === testId) return
    seen.push(now)
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab')
  }
  throw new Error(`${testId} was not reached with ${max} Tab presses; stops: ${seen.join(' → ')}`)
}

/** Tabs to a control and presses Enter on it. */
export async function activate(page: Page, testId: string, key = 'Enter'): Promise<void> {
  await tabTo(page, testId)
  await page.keyboard.press(key)
}
