/**
 * Small string helpers written as loops where the obvious regex (`/\/+$/`) backtracks in
 * quadratic time on hostile input; the lint rule regexp/no-super-linear-move refuses those.
 */

/** `s` without the slashes it ends with. */
export function trimTrailingSlashes(s: string): string {
  let end = s.length
  while (end > 0 && s.charCodeAt(end - 1) === 47 /* / */) end--
  return s.slice(0, end)
}

/** local@domain.tld with no spaces: the shape of an e-mail address, checked in linear time. */
export const EMAIL_SHAPE = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/
