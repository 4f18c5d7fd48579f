/** A file produced in main (already redacted there), ready to hand to the person. */
export interface DownloadFile {
  text: string
  mimeType: string
  fileName: string
}

/**
 * Saves text as a download through a blob link, which the browser and Electron both turn into a
 * file the person chooses. The URL stays alive for a minute: the browser reads the blob
 * asynchronously (Electron only after its save dialog), so revoking it at once would race the save.
 */
export function downloadFile(file: DownloadFile, keepUrlMs = 60_000): string {
  const url = URL.createObjectURL(new Blob([file.text], { type: file.mimeType }))
  const link = document.createElement('a')
  link.href = url
  link.download = file.fileName
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), keepUrlMs)
  return file.fileName
}
