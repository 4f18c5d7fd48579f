import { useLayoutEffect, useRef, useState, type KeyboardEvent, type RefObject } from 'react'

/**
 * Roving focus over the rows of a virtualized grid (WAI-ARIA grid pattern, one row per stop):
 * one row is the grid's Tab stop, the arrow keys, Home/End and PageUp/PageDown move it, and
 * Enter or Space opens it. A row outside the rendered window is scrolled into view first and
 * focused once it renders, since only the visible window exists in the DOM.
 */
export function useRowGridFocus({
  scrollRef,
  rowHeight,
  total,
  onOpen,
}: {
  scrollRef: RefObject<HTMLElement | null>
  rowHeight: number
  total: number
  onOpen: (index: number) => void
}) {
  const [active, setActive] = useState(0)
  const pendingFocus = useRef<number | null>(null)
  const last = Math.max(0, total - 1)
  const current = Math.min(active, last)

  const focusRow = (index: number): void => {
    const el = scrollRef.current
    if (!el) return
    const top = index * rowHeight
    if (top < el.scrollTop) el.scrollTop = top
    else if (top + rowHeight > el.scrollTop + el.clientHeight)
      el.scrollTop = top + rowHeight - el.clientHeight
    setActive(index)
    const row = el.querySelector<HTMLElement>(`[data-index="${index}"]`)
    if (row) row.focus({ preventScroll: true })
    // Not rendered yet: the scroll above moves the window, and the effect below focuses it.
    else pendingFocus.current = index
  }

  // After every render: the row asked for may only now exist (the window moved to it).
  useLayoutEffect(() => {
    const index = pendingFocus.current
    if (index === null) return
    const row = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${index}"]`)
    if (row) {
      pendingFocus.current = null
      row.focus({ preventScroll: true })
    }
  })

  const onKeyDown = (e: KeyboardEvent): void => {
    const el = scrollRef.current
    const page = Math.max(1, Math.floor((el?.clientHeight ?? rowHeight * 10) / rowHeight) - 1)
    const moves: Record<string, number> = {
      ArrowDown: current + 1,
      ArrowUp: current - 1,
      PageDown: current + page,
      PageUp: current - page,
      Home: 0,
      End: last,
    }
    if (e.key in moves) {
      e.preventDefault()
      if (total > 0) focusRow(Math.max(0, Math.min(last, moves[e.key]!)))
    } else if ((e.key === 'Enter' || e.key === ' ') && total > 0) {
      e.preventDefault()
      onOpen(current)
    }
  }

  return {
    active: current,
    /** Makes a row the Tab stop (a click on it, or the row whose detail opened elsewhere). */
    setActive,
    focusRow,
    onKeyDown,
  }
}

/**
 * Puts focus back on a row when the thing it opened closes: the detail pane unmounts with focus
 * inside, so the browser would otherwise drop focus to <body>.
 */
export function useReturnFocus(open: boolean, restore: () => void): void {
  const wasOpen = useRef(open)
  // In the commit, before the app-wide rescue (use-focus-management) would send focus elsewhere.
  useLayoutEffect(() => {
    const lostFocus = document.activeElement === null || document.activeElement === document.body
    if (wasOpen.current && !open && lostFocus) restore()
    wasOpen.current = open
  })
}
