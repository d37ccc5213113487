import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flush, jsonResponse, makeItem, mockFetch } from '@/testing'
import { matchesStatus, useHistoryStore } from '@/stores/history'

const page = (n: number, total: number, perPage = 2) => ({
  page: n, per_page: perPage, total, total_pages: Math.ceil(total / perPage),
  has_next: n * perPage < total, has_prev: n > 1,
})

beforeEach(() => setActivePinia(createPinia()))

describe('history store', () => {
  it('loads one page with the chosen filter and order', async () => {
    const items = [makeItem({ status: 'error' })]
    const { calls } = mockFetch({ 'GET /api/history': { items, pagination: page(2, 3) } })
    const history = useHistoryStore()
    await history.configure({ perPage: 2, order: 'ASC', status: 'error', page: 2 })
    expect(Object.fromEntries(calls[0]!.url.searchParams)).toMatchObject({ type: 'done', page: '2', per_page: '2', order: 'ASC', status: 'error' })
    expect(history.items).toEqual(items)
    expect(history.pagination.total_pages).toBe(2)
  })

  it('keeps the last answer when an older, slower one arrives', async () => {
    const slow = makeItem()
    const fast = makeItem()
    let release: (r: Response) => void = () => {}
    vi.stubGlobal('fetch', vi.fn()
      .mockImplementationOnce(() => new Promise<Response>((resolve) => { release = resolve }))
      .mockImplementationOnce(async () => jsonResponse(200, { items: [fast], pagination: page(2, 4) })))
    const history = useHistoryStore()
    const first = history.configure({ page: 1 })
    await history.configure({ page: 2 })
    release(jsonResponse(200, { items: [slow], pagination: page(1, 4) }))
    await first
    expect(history.items.map((i) => i._id)).toEqual([fast._id])
  })

  it('shows the server error and keeps working', async () => {
    mockFetch({ 'GET /api/history': jsonResponse(400, { error: 'order must be ASC or DESC.' }) })
    const history = useHistoryStore()
    await history.load()
    expect(history.error).toBe('order must be ASC or DESC.')
  })

  it('deletes with or without the file and refills the page', async () => {
    vi.useFakeTimers()
    const [a, b] = [makeItem(), makeItem()]
    const c = makeItem()
    const { calls } = mockFetch({
      'DELETE /api/history': { [a._id]: 'deleted' },
      'GET /api/history': { items: [b, c], pagination: page(1, 2) },
    })
    const history = useHistoryStore()
    history.items = [a, b]
    history.pagination = page(1, 3)
    history.perPage = 2
    await history.remove([a._id], true)
    expect(calls[0]?.body).toEqual({ type: 'done', ids: [a._id], remove_file: true })
    expect(history.items.map((i) => i._id)).toEqual([b._id])
    await vi.advanceTimersByTimeAsync(400)
    vi.useRealTimers()
    await flush()
    expect(history.items.map((i) => i._id)).toEqual([b._id, c._id])
  })

  it('keeps a full first page full when items arrive', () => {
    const history = useHistoryStore()
    history.items = [makeItem(), makeItem()]
    history.pagination = page(1, 2)
    history.perPage = 2
    const item = makeItem({ status: 'finished' })
    history.arrived(item)
    expect(history.items).toHaveLength(2)
    expect(history.items[0]?._id).toBe(item._id)
    expect(history.pagination).toMatchObject({ total: 3, total_pages: 2, has_next: true })
  })
})

describe('matchesStatus', () => {
  it('follows the API filter: value, !value, or nothing', () => {
    expect(matchesStatus('', 'error')).toBe(true)
    expect(matchesStatus('finished', 'finished')).toBe(true)
    expect(matchesStatus('finished', 'error')).toBe(false)
    expect(matchesStatus('!finished', 'error')).toBe(true)
    expect(matchesStatus('!finished', 'finished')).toBe(false)
  })
})
