// The HTTP transport of the API client; the routes are in index.ts. URLs are resolved against
// the page's own location so the app works under a base path (YTP_BASE_PATH) as well as at "/".
import type { Item, Paged } from '@/api/types'

type Query = Record<string, string | number | boolean | undefined | null>

export class ApiError extends Error {
  readonly status: number
  readonly body: unknown

  constructor(status: number, message: string, body: unknown = null) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.body = body
  }
}

export function apiUrl(path: string, query: Query = {}): string {
  const url = new URL(path, document.baseURI)
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(key, String(value))
  }
  return url.toString()
}

export function wsUrl(now: number = Date.now()): string {
  const url = new URL(apiUrl('ws', { _: now }))
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
  return url.toString()
}

/** Link to a finished file; each path segment is encoded, the slashes kept. */
// The server's `filename` is relative to the download path and already holds the folder.
export function downloadUrl(item: Pick<Item, 'filename'>): string {
  const path = item.filename ?? ''
  const encoded = path.split('/').filter(Boolean).map(encodeURIComponent).join('/')
  return apiUrl(`api/download/${encoded}`)
}

/**
 * A remote thumbnail through the server's proxy (`GET /api/thumbnail`), so the page loads no
 * third-party image itself; null for anything that is not an http(s) URL.
 */
export function thumbnailUrl(src: string | null | undefined): string | null {
  if (!src || !/^https?:\/\//i.test(src.trim())) return null
  return apiUrl('api/thumbnail', { url: src.trim() })
}

function errorMessage(status: number, body: unknown, fallback: string): string {
  if (body && typeof body === 'object') {
    const record = body as Record<string, unknown>
    for (const key of ['error', 'message', 'detail']) {
      if (typeof record[key] === 'string' && record[key]) return record[key] as string
    }
  }
  if (typeof body === 'string' && body.trim() && body.length < 300) return body.trim()
  return `${fallback} (HTTP ${status})`
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text()
  if (!text) return null
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

export async function request<T>(method: string, path: string, options: { query?: Query; body?: unknown } = {}): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } }
  if (options.body !== undefined) {
    init.body = JSON.stringify(options.body)
    init.headers = { ...init.headers, 'Content-Type': 'application/json' }
  }
  let response: Response
  try {
    response = await fetch(apiUrl(path, options.query), init)
  } catch {
    throw new ApiError(0, 'Cannot reach the server.')
  }
  const body = await readBody(response)
  if (!response.ok) throw new ApiError(response.status, errorMessage(response.status, body, response.statusText || 'Request failed'), body)
  return body as T
}

/** Normalises a list answer: `{items, pagination}`, or a bare array from an older server. */
export function itemsOf<T>(body: Paged<T> | T[] | null): T[] {
  if (Array.isArray(body)) return body
  return Array.isArray(body?.items) ? body.items : []
}
