import type { KeyboardEvent } from 'react'

/**
 * Arrow-key movement inside a tab list or radio group (WAI-ARIA Authoring Practices): the group
 * is one Tab stop, Left/Up and Right/Down move to the previous and next enabled option (wrapping),
 * Home and End to the first and last, and the option moved to is chosen at once. The options are
 * the group's elements with the given role; the handler goes on the group.
 */
export function rovingKeyDown(
  e: KeyboardEvent<HTMLElement>,
  role: 'tab' | 'radio',
  choose: (option: HTMLElement) => void,
): void {
  const options = [...e.currentTarget.querySelectorAll<HTMLElement>(`[role="${role}"]`)].filter(
    (o) => !(o as HTMLButtonElement).disabled,
  )
  const at = options.indexOf(document.activeElement as HTMLElement)
  if (at < 0 || options.length === 0) return
  const next: Record<string, number> = {
    ArrowRight: (at + 1) % options.length,
    ArrowDown: (at + 1) % options.length,
    ArrowLeft: (at - 1 + options.length) % options.length,
    ArrowUp: (at - 1 + options.length) % options.length,
    Home: 0,
    End: options.length - 1,
  }
  const index = next[e.key]
  if (index === undefined) return
  e.preventDefault()
  options[index]!.focus()
  choose(options[index]!)
}
