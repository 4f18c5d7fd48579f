import { create } from 'zustand'
import type { ScreenId } from '../../src-shared/channels/app.ts'

export type Screen = ScreenId
export type SourceTab = 'file' | 'paste' | 'url'

/** UI state only: where the person is and what they are typing. Never server data or secrets. */
interface UiState {
  screen: Screen
  sourceTab: SourceTab
  pasteDraft: string
  urlDraft: string
  /** The backend connection and tenant the person works on; null until they choose (the default applies). */
  connectionName: string | null
  tenantId: string | null
  setScreen(screen: Screen): void
  setSourceTab(tab: SourceTab): void
  setPasteDraft(text: string): void
  setUrlDraft(url: string): void
  setTarget(connectionName: string | null, tenantId: string | null): void
}

export const useUiStore = create<UiState>()((set) => ({
  // Onboarding first: it moves on by itself once the tenant is onboarded (use-onboarding.ts).
  screen: 'onboarding',
  sourceTab: 'file',
  pasteDraft: '',
  urlDraft: '',
  connectionName: null,
  tenantId: null,
  setScreen: (screen) => set({ screen }),
  setSourceTab: (sourceTab) => set({ sourceTab }),
  setPasteDraft: (pasteDraft) => set({ pasteDraft }),
  setUrlDraft: (urlDraft) => set({ urlDraft }),
  setTarget: (connectionName, tenantId) => set({ connectionName, tenantId }),
}))
