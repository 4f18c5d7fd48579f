import { clipboard } from 'electron'

/** Copy buttons go through main so the sandboxed renderer needs no clipboard permission. */
export async function writeClipboard(text: string): Promise<void> {
  clipboard.writeText(text)
}
