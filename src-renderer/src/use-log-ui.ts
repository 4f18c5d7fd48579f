import { create } from 'zustand'
import type { EventFilter } from '../../src-shared/provisioning-event.ts'

/**
 * The log screen's UI state: the filter being applied, the selected event, the user story being
 * looked at. Server data (rows, events, stories) stays in react-query.
 */
interface LogUiState {
  filter: EventFilter
  selectedSeq: number | null
  storyQuery: string | null
  /** The console's own test traffic (harness, replay) is hidden unless this is on. */
  showTestTraffic: boolean
  setFilter(filter: EventFilter): void
  setShowTestTraffic(show: boolean): void
  select(seq: number | null): void
  openStory(query: string | null): void
}

export const useLogUi = create<LogUiState>()((set) => ({
  filter: {},
  selectedSeq: null,
  storyQuery: null,
  showTestTraffic: false,
  setFilter: (filter) => set({ filter }),
  setShowTestTraffic: (showTestTraffic) => set({ showTestTraffic }),
  select: (selectedSeq) => set({ selectedSeq }),
  openStory: (storyQuery) => set({ storyQuery }),
}))
