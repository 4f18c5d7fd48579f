import { useEffect, useRef, type RefObject } from 'react'

/** The heading of the content that just appeared, made focusable from script only, and focused. */
export function focusHeading(heading: HTMLElement | null | undefined): boolean {
  if (!heading) return false
  if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1')
  heading.focus()
  return true
}

/**
 * A screen change names the window after the screen and, once the person has moved (not on the
 * first paint), puts focus on the new screen's heading, so keyboard and screen-reader users start
 * reading where the new content begins instead of on the sidebar button.
 */
export function useScreenFocus(
  screen: string,
  title: string,
  main: RefObject<HTMLElement | null>,
): void {
  const first = useRef(true)
  useEffect(() => {
    document.title = `${title} · scim-console`
  }, [title])
  useEffect(() => {
    if (first.current) {
      first.current = false
      return
    }
    focusHeading(main.current?.querySelector<HTMLElement>('h1'))
  }, [screen, main])
}

/**
 * When the focused control disappears (a button replaced by its result, a step that closed), the
 * browser drops focus to <body> and a keyboard user must start again from the top. This puts it on
 * the screen's heading instead; content that knows better (an opened step, a detail pane) moves
 * focus itself first, in a layout effect, and then this does nothing.
 */
export function useFocusRescue(main: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const root = main.current
    if (!root) return
    let last: Element | null = null
    const onFocusIn = (e: FocusEvent): void => {
      last = e.target as Element
    }
    const observer = new MutationObserver(() => {
      if (last && !last.isConnected && document.activeElement === document.body) {
        last = null
        focusHeading(root.querySelector<HTMLElement>('h1'))
      }
    })
    document.addEventListener('focusin', onFocusIn)
    observer.observe(root, { childList: true, subtree: true })
    return () => {
      document.removeEventListener('focusin', onFocusIn)
      observer.disconnect()
    }
  }, [main])
}

/**
 * A ref for the result of an async action (a verdict, a "done" banner): when it appears and the
 * control that started the action has gone or was disabled, focus goes to the result rather than
 * to <body>. Runs in the commit, before the rescue above looks.
 */
export function focusIfLost(el: HTMLElement | null): void {
  const active = document.activeElement
  const lost =
    active === null ||
    active === document.body ||
    (active instanceof HTMLButtonElement && active.disabled)
  if (!el || !lost) return
  if (el.tabIndex < 0 && !el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1')
  el.focus()
}

/** focusIfLost for a block whose heading should take the focus (the block is not ours to edit). */
export function focusHeadingIfLost(block: HTMLElement | null): void {
  focusIfLost(block?.querySelector<HTMLElement>('h2, h3') ?? block)
}
