import { useEffect } from 'react'
import { useApi } from './api-context.tsx'
import { useUiStore } from './use-ui-store.ts'

/** The desktop menu's View items and their Ctrl/Cmd+1..6 shortcuts switch screens through main. */
export function useMenuNavigation(): void {
  const api = useApi()
  const setScreen = useUiStore((s) => s.setScreen)
  useEffect(() => api.on('app.navigate', ({ screen }) => setScreen(screen)), [api, setScreen])
}
