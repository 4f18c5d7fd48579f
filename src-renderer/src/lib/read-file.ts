import type { Result } from '../../../src-shared/errors.ts'

/** Same cap main applies; checked here too so a huge drop is refused before it is read. */
export const MAX_FILE_BYTES = 50 * 1024 * 1024

export async function readFileAsText(file: File): Promise<Result<{ name: string; text: string }>> {
  if (file.size > MAX_FILE_BYTES) {
    return {
      ok: false,
      error: {
        code: 'metadata.too_large',
        message: `${file.name} is ${(file.size / 1024 / 1024).toFixed(1)} MB; the limit is 50 MB.`,
        hint: 'IdP metadata is normally a few kilobytes; check that you chose the right file.',
      },
    }
  }
  try {
    return { ok: true, value: { name: file.name, text: await file.text() } }
  } catch {
    return {
      ok: false,
      error: {
        code: 'metadata.read_failed',
        message: `Could not read ${file.name}.`,
        hint: 'Try choosing the file again.',
      },
    }
  }
}

/** The browser's own file picker, for the web host (Electron uses the native dialog in main). */
export function pickFileInBrowser(): Promise<Result<{ name: string; text: string } | null>> {
  return new Promise((resolve) => {
    const input = document.createElement('input')
    input.type = 'file'
    input.accept = '.xml,application/xml,text/xml,application/samlmetadata+xml'
    input.addEventListener('change', () => {
      const file = input.files?.[0]
      if (!file) resolve({ ok: true, value: null })
      else void readFileAsText(file).then(resolve)
    })
    input.addEventListener('cancel', () => resolve({ ok: true, value: null }))
    input.click()
  })
}
