import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { defaultTarget, hostCall } from './web-host-fixture.ts'

export { defaultTarget, hostCall }

/** The standard the console targets (README "Accessibility"): WCAG 2.1 A and AA. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']

export type Scheme = 'light' | 'dark'

/**
 * Runs axe on the page as it stands, once per colour scheme, and returns the violations as
 * readable text (empty when there are none): rule, impact, help, and each offending node's
 * selector with axe's own summary of what to fix.
 */
export async function axeReport(page: Page, state: string): Promise<string> {
  const parts: string[] = []
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    const { violations } = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze()
    for (const v of violations) {
      parts.push(
        `[${state} · ${colorScheme}] ${v.id} (${v.impact ?? 'n/a'}): ${v.help} — ${v.nodes.length} node(s)\n` +
          v.nodes
            .slice(0, 8)
            .map(
              (n) =>
                `    ${n.target.join(' ')}\n      ${(n.failureSummary ?? '').replace(/\n/g, '\n      ')}`,
            )
            .join('\n') +
          (v.nodes.length > 8 ? `\n    … and ${v.nodes.length - 8} more` : ''),
      )
    }
  }
  await page.emulateMedia({ colorScheme: 'light' })
  return parts.join('\n')
}
