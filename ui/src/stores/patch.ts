/**
 * Copies `source`'s fields onto `target` in place, so only the fields that changed
 * re-render. Fields missing from `source` are kept: a partial update never blanks a row.
 */
export function mergeInto<T extends object>(target: T, source: Partial<T>): void {
  const t = target as Record<string, unknown>
  for (const [key, value] of Object.entries(source)) {
    if (t[key] !== value) t[key] = value
  }
}
