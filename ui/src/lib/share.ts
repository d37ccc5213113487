// The web share target (manifest.webmanifest): "Share → Tubestash" opens the app with the
// shared title, text and url in the query. Apps put the link in any of the three (many
// share "Look at this: https://..." as text), so the first http(s) URL in any of them wins.

export const SHARE_PARAMS = ['url', 'text', 'title'] as const

const URL_IN_TEXT = /https?:\/\/[^\s<>"']+/i
// Closing punctuation that ends a sentence around a link rather than belonging to it.
const TRAILING = /[.,;:!?)\]}]+$/

/** The first http(s) URL in `text`, without trailing sentence punctuation; null if none. */
export function firstUrl(text: string | null | undefined): string | null {
  const found = text?.match(URL_IN_TEXT)?.[0]
  if (!found) return null
  let url = found
  // Keep a closing bracket that the link itself opened: https://en.wikipedia.org/wiki/X_(Y)
  while (TRAILING.test(url)) {
    const last = url.slice(-1)
    if (last === ')' && (url.match(/\(/g)?.length ?? 0) >= (url.match(/\)/g)?.length ?? 0)) break
    url = url.slice(0, -1)
  }
  try {
    return new URL(url).href
  } catch {
    return null
  }
}

export interface Shared {
  /** Whether the page was opened by a share at all. */
  shared: boolean
  /** The link to queue, when the share held one. */
  url: string | null
}

export function sharedLink(query: URLSearchParams): Shared {
  const shared = SHARE_PARAMS.some((name) => query.has(name))
  for (const name of SHARE_PARAMS) {
    const url = firstUrl(query.get(name))
    if (url) return { shared, url }
  }
  return { shared, url: null }
}

/** The page's address without the share's parameters, so a reload does not add it again. */
export function withoutShare(location: Pick<Location, 'pathname' | 'search' | 'hash'>): string {
  const query = new URLSearchParams(location.search)
  for (const name of SHARE_PARAMS) query.delete(name)
  const rest = query.toString()
  return `${location.pathname}${rest ? `?${rest}` : ''}${location.hash}`
}
