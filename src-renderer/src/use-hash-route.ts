import { useEffect } from 'react'
import { formatHashRoute, parseHashRoute, type HashRoute } from './lib/hash-route.ts'
import { useLogUi } from './use-log-ui.ts'
import { useUiStore, type Screen } from './use-ui-store.ts'

function currentRoute(): HashRoute {
  const { screen } = useUiStore.getState()
  const story = useLogUi.getState().storyQuery
  return screen === 'log' && story ? { screen, user: story } : { screen }
}

/**
 * Keeps the address in step with the screen (and the log's open user story): navigating pushes a
 * history entry, a reload restores the screen, back and forward move between screens. Generic
 * over the navigation's screen ids, so a new screen in the list has its route with no more code.
 * It subscribes to the stores outside React's render, so App does not re-render for a story.
 */
export function useHashRoute(screens: readonly Screen[]): void {
  const key = screens.join(' ')
  useEffect(() => {
    const ids = key.split(' ')
    let applying = false
    const apply = (route: HashRoute | null): void => {
      if (!route) return
      applying = true
      try {
        useUiStore.getState().setScreen(route.screen as Screen)
        if (route.screen === 'log') useLogUi.getState().openStory(route.user ?? null)
      } finally {
        applying = false
      }
    }
    const url = (hash: string): string => window.location.pathname + window.location.search + hash
    // The address wins on load; then it names where the person is, without a new entry.
    apply(parseHashRoute(window.location.hash, ids))
    history.replaceState(history.state, '', url(formatHashRoute(currentRoute())))

    const sync = (): void => {
      if (applying) return
      const hash = formatHashRoute(currentRoute())
      if (hash !== window.location.hash) history.pushState(null, '', url(hash))
    }
    const unsubscribeUi = useUiStore.subscribe(sync)
    const unsubscribeLog = useLogUi.subscribe(sync)
    // Back/forward (popstate) and a hand-edited address (hashchange).
    // An address naming no screen is put back to where the person is.
    const onAddress = (): void => {
      const route = parseHashRoute(window.location.hash, ids)
      if (route) apply(route)
      else history.replaceState(history.state, '', url(formatHashRoute(currentRoute())))
    }
    window.addEventListener('popstate', onAddress)
    window.addEventListener('hashchange', onAddress)
    return () => {
      unsubscribeUi()
      unsubscribeLog()
      window.removeEventListener('popstate', onAddress)
      window.removeEventListener('hashchange', onAddress)
    }
  }, [key])
}
