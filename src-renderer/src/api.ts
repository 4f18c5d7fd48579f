import type { RendererApi } from '../../src-shared/contract.ts'
import { createWebApi, takeTokenFromLocation } from './web-transport.ts'

/**
 * The real door to main. Electron's preload provides `window.api`; in a plain browser the same
 * contract goes over the loopback web host. Components never import this: they take the api from
 * `useApi()` (api-context.tsx), which defaults to this one and lets a test hand in a fake.
 */
export const api: RendererApi = window.api ?? createWebApi({ token: takeTokenFromLocation() })
