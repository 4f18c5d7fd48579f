import { clipboard } from 'electron'

/** Copy buttons go through main so the sandboxed renderer needs no clipboard permission. */
export async function writeClipboard(text: string): Promise<void> {
  // A Promise since Electron 45: awaiting it makes the IPC call report the real outcome, and a
  // failure reaches the caller instead of becoming an unhandled rejection.
  await clipboard.writeText(text)
}

/** The 60-second clear after copying a token: leaves the clipboard alone if the person copied something else since. */
export async function clearClipboardIfEquals(text: string): Promise<boolean> {
  if ((await clipboard.readText()) !== text) return false
  clipboard.clear()
  return true
}
