import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { useHistoryStore } from '@/stores/history'
import { useToastsStore } from '@/stores/toasts'
import { flush, makeItem, mockFetch } from '@/testing'
import HistoryList from '@/components/HistoryList.vue'

beforeEach(() => setActivePinia(createPinia()))

const pagination = { page: 1, per_page: 10, total: 2, total_pages: 1, has_next: false, has_prev: false }

function mountWith(items = [makeItem()]) {
  const history = useHistoryStore()
  history.items = items
  history.pagination = { ...pagination, total: items.length }
  history.perPage = 10
  history.loaded = true
  return mount(HistoryList)
}

describe('HistoryList', () => {
  it('links the file and the source page of a finished item', () => {
    const item = makeItem({ status: 'finished', folder: 'music', filename: 'music/a b.mp3', url: 'https://v.example/1' })
    const wrapper = mountWith([item])
    expect(wrapper.get('[data-testid="history-item"]').attributes('data-id')).toBe(item._id)
    expect(wrapper.get('[data-testid="history-download"]').attributes('href')).toMatch(/\/api\/download\/music\/a%20b\.mp3$/)
    expect(wrapper.get('[data-testid="history-source"]').attributes('href')).toBe('https://v.example/1')
  })

  it('retries with the item preset, folder, template and options', async () => {
    const { calls } = mockFetch({ 'POST /api/history': [{ status: false, msg: 'Already in the archive.', item: {} }] })
    const item = makeItem({ status: 'error', preset: 'audio', folder: 'music', template: '%(id)s.%(ext)s', cli: '-x' })
    const wrapper = mountWith([item])
    await wrapper.get('[data-testid="history-retry"]').trigger('click')
    await flush()
    expect(calls[0]?.body).toEqual([{ url: item.url, preset: 'audio', folder: 'music', template: '%(id)s.%(ext)s', cli: '-x', auto_start: true, force: true }])
    expect(useToastsStore().list[0]?.message).toBe('Already in the archive.')
  })

  it('deletes the record, or the record and the file after confirming', async () => {
    const { calls } = mockFetch({ 'DELETE /api/history': {}, 'GET /api/history': { items: [], pagination } })
    const [a, b] = [makeItem({ status: 'finished', filename: 'a.mp4' }), makeItem({ status: 'finished', filename: 'b.mp4' })]
    const wrapper = mountWith([a, b])
    await wrapper.get('[data-testid="history-delete"]').trigger('click')
    await flush()
    expect(calls[0]?.body).toEqual({ type: 'done', ids: [a._id], remove_file: false })
    await wrapper.get('[data-testid="history-delete-file"]').trigger('click')
    await wrapper.get('[data-testid="history-delete-file-confirm"]').trigger('click')
    await flush()
    expect(calls.find((c, i) => i > 0 && c.method === 'DELETE')?.body).toEqual({ type: 'done', ids: [b._id], remove_file: true })
  })

  it('changes the filter and order through the API', async () => {
    const { calls } = mockFetch({ 'GET /api/history': { items: [], pagination } })
    const wrapper = mountWith()
    await wrapper.get('[data-testid="history-status"]').setValue('!finished')
    await wrapper.get('[data-testid="history-order"]').setValue('ASC')
    await flush()
    expect(Object.fromEntries(calls[calls.length - 1]!.url.searchParams)).toMatchObject({ status: '!finished', order: 'ASC', page: '1' })
    expect(wrapper.get('[data-testid="history-empty"]').text()).toBe('No items with this status.')
  })
})
