import { createContext, useContext, type ReactNode } from 'react'
import type { RendererApi } from '../../src-shared/contract.ts'
import { api as realApi } from './api.ts'

const ApiContext = createContext<RendererApi>(realApi)

/** Hands a different `api` to everything below: component tests pass a fake here. */
export function ApiProvider({ api, children }: { api: RendererApi; children: ReactNode }) {
  return <ApiContext.Provider value={api}>{children}</ApiContext.Provider>
}

/** The contract's api for this part of the tree: the real one unless an ApiProvider says otherwise. */
export function useApi(): RendererApi {
  return useContext(ApiContext)
}
