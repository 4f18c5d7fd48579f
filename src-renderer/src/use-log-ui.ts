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
  setFilter(filter: EventFilter): void
  select(seq: number | null): void
  openStory(query: string | null): void
}

export const useLogUi = create<LogUiState>()((set) => ({
  filter: {},
  selectedSeq: null,
  storyQuery: null,
  setFilter: (filter) => set({ filter }),
  select: (selectedSeq) => set({ selectedSeq }),
  openStory: (storyQuery) => set({ storyQuery }),
}))
