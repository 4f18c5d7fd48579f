// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createFakeApi, withFakeApi } from './testing/fake-api.tsx'
import type * as AppInfo from './use-app-info.ts'
import { useUiStore } from './use-ui-store.ts'

// App calls useAppInfo once per render: counting those calls counts App's renders.
const appRenders = vi.hoisted(() => ({ count: 0 }))
vi.mock('./use-app-info.ts', async (load) => {
  const real = await load<typeof AppInfo>()
  return {
    useAppInfo: () => {
      appRenders.count++
      return real.useAppInfo()
    },
  }
})

const { App } = await import('./App.tsx')

afterEach(cleanup)

describe('App with a fake api', () => {
  it('does not re-render when the person types a draft: only the picker subscribes to it', async () => {
    const fake = createFakeApi({
      'app.info': () => ({ name: 'scim-console', version: '9.9.9', runtime: 'test' }),
      'connections.list': () => ({
        connections: [],
        defaultConnection: null,
        secretStore: { kind: 'keychain', memoryOnly: false },
      }),
    })
    act(() => useUiStore.getState().setScreen('metadata'))
    render(<App />, { wrapper: withFakeApi(fake.api) })
    await waitFor(() => expect(screen.getByTestId('app-version').textContent).toBe('v9.9.9 · test'))

    fireEvent.click(screen.getByTestId('source-tab-paste'))
    const before = appRenders.count
    const input = screen.getByTestId('paste-input') as HTMLTextAreaElement
    for (const text of ['<', '<Entity', '<EntityDescriptor/>'])
      fireEvent.change(input, { target: { value: text } })

    expect(input.value).toBe('<EntityDescriptor/>')
    expect(useUiStore.getState().pasteDraft).toBe('<EntityDescriptor/>')
    expect(appRenders.count).toBe(before)

    // Navigation is App's own state, so that does re-render it.
    fireEvent.click(screen.getByTestId('nav-tokens'))
    expect(appRenders.count).toBeGreaterThan(before)
  })
})
