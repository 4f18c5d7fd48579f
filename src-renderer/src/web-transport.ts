import {
  channels,
  type Channel,
  type EventName,
  type RendererApi,
} from '../../src-shared/contract.ts'
import type { Result } from '../../src-shared/errors.ts'
import { pickFileInBrowser } from './lib/read-file.ts'

const TOKEN_KEY = 'scim-console.web-token'

/**
 * The web host hands the per-run token in the URL fragment (never sent to a server, so never in a
 * log). Keep it for this tab only and take it out of the address bar so it is not shared by
 * copying the URL or by a screenshot.
 */
export function takeTokenFromLocation(): string | null {
  const params = new URLSearchParams(window.location.hash.replace(/^#/, ''))
  const fromHash = params.get('token')
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash)
    params.delete('token')
    const rest = params.toString()
    history.replaceState(
      null,
      '',
      window.location.pathname + window.location.search + (rest ? `#${rest}` : ''),
    )
    return fromHash
  }
  return sessionStorage.getItem(TOKEN_KEY)
}

/**
 * The contract over the loopback web host. File picking and the clipboard belong to the browser
 * here, so those two channels are answered locally; everything else is `POST /api/<channel>`.
 */
export function createWebApi(opts: { token: string | null; fetch?: typeof fetch }): RendererApi {
  const doFetch = opts.fetch ?? window.fetch.bind(window)
  const api: Record<string, unknown> = {}

  for (const channel of channels) {
    api[channel] = (input: unknown) => post(channel, input)
  }
  api['metadata.pickFile'] = () => pickFileInBrowser()
  // The browser is the system browser here: the sign-in test's login page opens in a new tab.
  api['sso.openLogin'] = async ({ url }: { url: string }) => {
    const { protocol } = new URL(url, window.location.href)
    if (protocol !== 'http:' && protocol !== 'https:') {
      return {
        ok: false,
        error: {
          code: 'ipc.bad_input',
          message: 'Not an http(s) URL.',
          hint: 'Start the sign-in test again.',
        },
      }
    }
    window.open(url, '_blank', 'noopener')
    return { ok: true, value: { opened: true } }
  }
  api['clipboard.writeText'] = async ({
    text,
  }: {
    text: string
  }): Promise<Result<{ written: true }>> => {
    try {
      await navigator.clipboard.writeText(text)
      return { ok: true, value: { written: true } }
    } catch {
      return {
        ok: false,
        error: {
          code: 'ipc.unsupported',
          message: 'The browser did not allow writing to the clipboard.',
          hint: 'Select the text and copy it with Ctrl+C / Cmd+C.',
        },
      }
    }
  }

  // Best effort: reading the clipboard needs a permission the browser may refuse; then the
  // token stays until the person copies something else (the Electron app always clears).
  api['clipboard.clearIfEquals'] = async ({
    text,
  }: {
    text: string
  }): Promise<Result<{ cleared: boolean }>> => {
    try {
      if ((await navigator.clipboard.readText()) !== text)
        return { ok: true, value: { cleared: false } }
      await navigator.clipboard.writeText('')
      return { ok: true, value: { cleared: true } }
    } catch {
      return { ok: true, value: { cleared: false } }
    }
  }

  let source: EventSource | undefined
  api.on = (event: EventName, listener: (payload: unknown) => void) => {
    source ??= new EventSource(`/api/events?token=${encodeURIComponent(opts.token ?? '')}`)
    const handler = (e: MessageEvent<string>): void => listener(JSON.parse(e.data))
    source.addEventListener(event, handler)
    return () => source?.removeEventListener(event, handler)
  }

  async function post(channel: Channel, input: unknown): Promise<Result<unknown>> {
    if (!opts.token) {
      return {
        ok: false,
        error: {
          code: 'web.unauthorized',
          message: 'This page was opened without the web host token.',
          hint: 'Open the full URL printed by `scim-console web`.',
        },
      }
    }
    try {
      const res = await doFetch(`/api/${channel}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${opts.token}` },
        body: JSON.stringify(input ?? {}),
      })
      const body = (await res.json()) as Result<unknown>
      if (typeof body === 'object' && body !== null && 'ok' in body) return body
      throw new Error('not an envelope')
    } catch {
      return {
        ok: false,
        error: {
          code: 'network.unreachable',
          message: 'The web host did not answer.',
          hint: 'Check that `scim-console web` is still running, then reload the page.',
        },
      }
    }
  }

  return api as unknown as RendererApi
}
