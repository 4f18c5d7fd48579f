/** Deepest nesting SCIM needs is ~5 (an extension's manager inside a PATCH value); allow plenty. */
export const MAX_JSON_DEPTH = 64

/**
 * Nesting depth of a parsed JSON value, measured without recursion. JSON.parse accepts
 * `[[[[…]]]]` 100,000 levels deep, and every recursive walk after it (redaction, normalisation)
 * would then overflow the stack, so bodies are checked before anything else touches them.
 */
export function exceedsDepth(value: unknown, max = MAX_JSON_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 1]]
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!
    if (v === null || typeof v !== 'object') continue
    if (depth > max) return true
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1])
    }
  }
  return false
}
