import { useRef } from 'react'
import { BackendStateBanner } from './components/BackendStateBanner.tsx'
import { ErrorBoundary } from './components/ErrorBoundary.tsx'
import { MemoryStoreBanner } from './components/MemoryStoreBanner.tsx'
import { ConformanceScreen } from './screens/ConformanceScreen.tsx'
import { ConnectionScreen } from './screens/ConnectionScreen.tsx'
import { DirectoryScreen } from './screens/DirectoryScreen.tsx'
import { MetadataScreen } from './screens/MetadataScreen.tsx'
import { OnboardingScreen } from './screens/OnboardingScreen.tsx'
import { LogScreen } from './screens/LogScreen.tsx'
import { SsoLogScreen } from './screens/SsoLogScreen.tsx'
import { PlaceholderScreen } from './screens/PlaceholderScreen.tsx'
import { TokensScreen } from './screens/TokensScreen.tsx'
import { useAppInfo } from './use-app-info.ts'
import { useActiveTarget } from './use-connections.ts'
import { useFocusRescue, useScreenFocus } from './use-focus-management.ts'
import { useHashRoute } from './use-hash-route.ts'
import { formatHashRoute } from './lib/hash-route.ts'
import { useMenuNavigation } from './use-menu-navigation.ts'
import { useOnboardingLanding } from './use-onboarding.ts'
import { useUiStore, type Screen } from './use-ui-store.ts'
import './styles/shell.css'

const nav: { id: Screen; label: string; text: string }[] = [
  { id: 'onboarding', label: 'Onboarding', text: '' },
  { id: 'metadata', label: 'SSO metadata', text: '' },
  {
    id: 'connection',
    label: 'Connection',
    text: 'The tenant’s SCIM base URL, the backend and the SP values to copy into Okta.',
  },
  {
    id: 'tokens',
    label: 'SCIM tokens',
    text: 'Generate bearer tokens, keep them in the OS keychain and register them with the backend.',
  },
  {
    id: 'conformance',
    label: 'Conformance',
    text: 'Run the SCIM conformance harness against the tenant before go-live.',
  },
  {
    id: 'log',
    label: 'Provisioning log',
    text: 'The live provisioning events of the tenant, and the story of one user.',
  },
  { id: 'directory', label: 'Directory', text: 'The tenant’s users and groups, live.' },
  {
    id: 'sso-log',
    label: 'Sign-in log',
    text: 'SAML sign-in attempts, why one was refused, and the offline SAML inspector.',
  },
]

/** Every screen in the list has a URL (`#/<id>`), a new one included with no more code. */
const navIds = nav.map((n) => n.id)

export function App() {
  const screen = useUiStore((s) => s.screen)
  const setScreen = useUiStore((s) => s.setScreen)
  const info = useAppInfo()
  useHashRoute(navIds)
  useOnboardingLanding(useActiveTarget().target)
  useMenuNavigation()
  const current = nav.find((n) => n.id === screen) ?? nav[0]!
  const main = useRef<HTMLElement>(null)
  useScreenFocus(current.id, current.label, main)
  useFocusRescue(main)
  return (
    <div className="shell">
      {/* A button-like link: the URL's fragment carries the screen's route (and first the web host's token), so no #main. */}
      <a
        href="#main"
        className="skip-link"
        data-testid="skip-link"
        onClick={(e) => {
          e.preventDefault()
          main.current?.focus()
        }}
      >
        Skip to content
      </a>
      <nav className="sidebar" aria-label="Sections">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            ◆
          </span>
          scim-console
        </div>
        <ul className="nav-list">
          {nav.map((n) => (
            <li key={n.id}>
              {/* A link to the screen's address: it can be copied or opened in a new tab. */}
              <a
                href={formatHashRoute({ screen: n.id })}
                className={`nav-item ${screen === n.id ? 'nav-active' : ''}`}
                aria-current={screen === n.id ? 'page' : undefined}
                data-testid={`nav-${n.id}`}
                onClick={(e) => {
                  if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return
                  e.preventDefault()
                  setScreen(n.id)
                }}
              >
                {n.label}
              </a>
            </li>
          ))}
        </ul>
        <div className="sidebar-footer" data-testid="app-version">
          {info.data ? `v${info.data.version} · ${info.data.runtime}` : '\u00a0'}
        </div>
      </nav>
      <main className="content" id="main" ref={main} tabIndex={-1}>
        <MemoryStoreBanner />
        <BackendStateBanner />
        {/* Keyed by screen: a crash on one screen is forgotten when the person moves on. */}
        <ErrorBoundary key={current.id} screen={current.id} title={current.label}>
          {screen === 'onboarding' ? (
            <OnboardingScreen />
          ) : screen === 'metadata' ? (
            <MetadataScreen />
          ) : screen === 'connection' ? (
            <ConnectionScreen />
          ) : screen === 'tokens' ? (
            <TokensScreen />
          ) : screen === 'log' ? (
            <LogScreen />
          ) : screen === 'directory' ? (
            <DirectoryScreen />
          ) : screen === 'sso-log' ? (
            <SsoLogScreen />
          ) : screen === 'conformance' ? (
            <ConformanceScreen />
          ) : (
            <PlaceholderScreen title={current.label} text={current.text} />
          )}
        </ErrorBoundary>
      </main>
    </div>
  )
}
