// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { SourcePicker } from '../components/SourcePicker.tsx'
import { RunForm } from '../components/conformance/RunForm.tsx'
import { createFakeApi, withFakeApi } from '../testing/fake-api.tsx'
import { useUiStore } from '../use-ui-store.ts'

afterEach(cleanup)

const key = (el: Element, k: string) => fireEvent.keyDown(el, { key: k })

describe('tabs and radio groups by arrow keys (WAI-ARIA Authoring Practices)', () => {
  it('moves through the metadata source tabs with one Tab stop, wrapping, with Home and End', () => {
    useUiStore.setState({ sourceTab: 'file' })
    const fake = createFakeApi({})
    render(<SourcePicker busy={false} onError={() => {}} onSource={() => {}} />, {
      wrapper: withFakeApi(fake.api),
    })
    const file = screen.getByTestId('source-tab-file')
    const paste = screen.getByTestId('source-tab-paste')
    const url = screen.getByTestId('source-tab-url')
    expect([file.tabIndex, paste.tabIndex, url.tabIndex]).toEqual([0, -1, -1])
    expect(file.getAttribute('aria-controls')).toBe('source-panel-file')
    expect(screen.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe('source-tab-file')

    file.focus()
    key(file, 'ArrowRight')
    expect(document.activeElement).toBe(paste)
    expect(paste.getAttribute('aria-selected')).toBe('true')
    expect(paste.tabIndex).toBe(0)
    expect(screen.getByRole('tabpanel').id).toBe('source-panel-paste')
    key(paste, 'End')
    expect(document.activeElement).toBe(url)
    key(url, 'ArrowRight')
    expect(document.activeElement).toBe(file)
    key(file, 'ArrowLeft')
    expect(document.activeElement).toBe(url)
    key(url, 'Home')
    expect(file.getAttribute('aria-selected')).toBe('true')
  })

  it('chooses the conformance profile with the arrows, one Tab stop for the group', () => {
    render(
      <RunForm
        defaultUrl="http://127.0.0.1:1/scim/v2"
        target={null}
        tokens={[]}
        running={false}
        starting={false}
        stopping={false}
        onStart={() => {}}
        onStop={() => {}}
      />,
    )
    const okta = screen.getByTestId('conf-profile-okta')
    const entra = screen.getByTestId('conf-profile-entra')
    const rfc = screen.getByTestId('conf-profile-rfc')
    expect([okta.tabIndex, entra.tabIndex, rfc.tabIndex]).toEqual([0, -1, -1])
    okta.focus()
    key(okta, 'ArrowDown')
    expect(document.activeElement).toBe(entra)
    expect(entra.getAttribute('aria-checked')).toBe('true')
    expect(okta.getAttribute('aria-checked')).toBe('false')
    expect([okta.tabIndex, entra.tabIndex]).toEqual([-1, 0])
    key(entra, 'ArrowUp')
    key(okta, 'ArrowUp')
    expect(rfc.getAttribute('aria-checked')).toBe('true')
  })
})
