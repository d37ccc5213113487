import { afterEach, describe, expect, it, vi } from 'vitest'
import { api } from '@/api'
import { ApiError, apiUrl, downloadUrl, itemsOf, request, wsUrl } from '@/api/client'
import { jsonResponse, mockFetch } from '@/testing'

function setBase(href: string | null): void {
  document.head.querySelector('base')?.remove()
  if (href) {
    const base = document.createElement('base')
    base.href = href
    document.head.append(base)
  }
}

afterEach(() => setBase(null))

describe('URLs', () => {
  it('resolves API paths against the page, so a base path is kept', () => {
    setBase('https://media.example/tube/')
    expect(apiUrl('api/history', { type: 'done', page: 2, status: undefined })).toBe(
      'https://media.example/tube/api/history?type=done&page=2',
    )
  })

  it('builds the socket URL with ws or wss and a cache buster', () => {
    setBase('https://media.example/tube/')
    expect(wsUrl(123)).toBe('wss://media.example/tube/ws?_=123')
    setBase('http://127.0.0.1:8081/')
    expect(wsUrl(5)).toBe('ws://127.0.0.1:8081/ws?_=5')
  })

  it('encodes each path segment of a download link', () => {
    setBase('http://h/')
    expect(downloadUrl({ filename: 'My Channel/a #1?.mp4' })).toBe('http://h/api/download/My%20Channel/a%20%231%3F.mp4')
    expect(downloadUrl({ filename: 'x.mkv' })).toBe('http://h/api/download/x.mkv')
  })
})

describe('request', () => {
  it('sends JSON with the session cookie and parses the answer', async () => {
    const { calls } = mockFetch({ 'POST /api/history/start': { a: 'started' } })
    await expect(api.start(['a'])).resolves.toEqual({ a: 'started' })
    expect(calls[0]?.body).toEqual({ ids: ['a'] })
    expect(calls[0]?.init.credentials).toBe('same-origin')
    expect((calls[0]?.init.headers as Record<string, string>)['Content-Type']).toBe('application/json')
  })

  it('throws the server error message with its status', async () => {
    mockFetch({ 'POST /api/presets/': jsonResponse(400, { error: 'name is required.' }) })
    const err = await request('POST', 'api/presets/', { body: {} }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect((err as ApiError).status).toBe(400)
    expect((err as ApiError).message).toBe('name is required.')
  })

  it('falls back to the status for bodies without a message', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('<html>oops</html>'.repeat(50), { status: 502, statusText: 'Bad Gateway' })))
    await expect(api.live()).rejects.toThrow('Bad Gateway (HTTP 502)')
  })

  it('reports an unreachable server', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => { throw new TypeError('Failed to fetch') }))
    await expect(api.configuration()).rejects.toMatchObject({ status: 0, message: 'Cannot reach the server.' })
  })

  it('accepts empty answers', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(null, { status: 204 })))
    await expect(api.pauseAll()).resolves.toBeNull()
  })

  it('sends the history query', async () => {
    const { calls } = mockFetch({ 'GET /api/history': { items: [], pagination: {} } })
    await api.history({ page: 3, per_page: 25, order: 'ASC', status: '!finished' })
    expect(Object.fromEntries(calls[0]!.url.searchParams)).toEqual({
      type: 'done', page: '3', per_page: '25', order: 'ASC', status: '!finished',
    })
  })
})

describe('itemsOf', () => {
  it('reads paged answers and bare lists', () => {
    expect(itemsOf({ items: [1, 2], pagination: {} as never })).toEqual([1, 2])
    expect(itemsOf([3])).toEqual([3])
    expect(itemsOf(null)).toEqual([])
  })
})
