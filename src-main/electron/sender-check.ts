/** What the registrar knows about the frame that sent an IPC message. */
export interface SenderInfo {
  /** null when the frame has already gone away. */
  frameUrl: string | null
  /** The sending frame is its page's top frame, not an iframe. */
  isTopFrame: boolean
  /** webContents id of the sender. */
  webContentsId: number
}

/** The parts of Electron's WebFrameMain the check reads. */
export interface FrameLike {
  readonly url: string
  readonly parent: unknown
  readonly detached: boolean
}

/**
 * Describes the sending frame. A top frame is one with no parent that is still attached; this is
 * not an identity comparison with `webContents.mainFrame`, since Electron documents that two
 * WebFrameMain instances can refer to the same frame, and such a harmless identity change would
 * lock the renderer out.
 */
export function senderInfoOf(
  frame: FrameLike | null | undefined,
  webContentsId: number,
): SenderInfo {
  const attached = frame !== null && frame !== undefined && !frame.detached
  return {
    frameUrl: attached ? frame.url : null,
    isTopFrame: attached && frame.parent === null,
    webContentsId,
  }
}

/**
 * Only our own windows' top frames, showing our own origin, may call the contract. An iframe or a
 * page that somehow navigated elsewhere gets `ipc.forbidden` even though the preload runs there.
 */
export function isTrustedSender(
  sender: SenderInfo,
  allowed: { origins: readonly string[]; webContentsIds: ReadonlySet<number> },
): boolean {
  if (!sender.isTopFrame || sender.frameUrl === null) return false
  if (!allowed.webContentsIds.has(sender.webContentsId)) return false
  const origin = originOf(sender.frameUrl)
  return origin !== null && allowed.origins.includes(origin)
}

/**
 * `scheme://host[:port]` of a URL. Not `URL.origin`: Node's URL reports "null" as the origin of
 * custom schemes such as app://renderer, which would make every check fail (or, compared with
 * another "null", pass).
 */
export function originOf(url: string): string | null {
  try {
    const u = new URL(url)
    return u.host ? `${u.protocol}//${u.host}` : null
  } catch {
    return null
  }
}
