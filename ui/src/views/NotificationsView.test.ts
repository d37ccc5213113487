import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { flush, jsonResponse, mockFetch } from '@/testing'
import NotificationsView from '@/views/NotificationsView.vue'

beforeEach(() => setActivePinia(createPinia()))

const id = (name: string) => `[data-testid="${name}"]`
const EVENTS = { 'GET /api/notifications/events/': { events: ['item_added', 'item_completed', 'test'] } }
const HOOK = {
  id: 2, name: 'Hook', on: ['item_completed'], presets: ['default'], enabled: true,
  request: { type: 'json', method: 'POST', url: 'https://example.com/hook', data_key: 'data', headers: [{ key: 'X-Token', value: 't0ken' }] },
}

describe('NotificationsView', () => {
  it('creates a webhook with a header, events and presets', async () => {
    const { calls } = mockFetch({
      ...EVENTS,
      'GET /api/notifications/': { items: [], pagination: {} },
      'POST /api/notifications/': (c: { body: unknown }) => ({ id: 1, ...(c.body as object) }),
    })
    const wrapper = mount(NotificationsView)
    await flush()
    await wrapper.get(id('notification-new')).trigger('click')
    // `test` is what the test button sends, not an event to choose.
    expect(wrapper.find(id('notification-on-test')).exists()).toBe(false)
    await wrapper.get(id('notification-name')).setValue('Hook')
    await wrapper.get(id('notification-url')).setValue('https://example.com/hook')
    await wrapper.get(id('notification-method')).setValue('PUT')
    await wrapper.get(id('notification-type')).setValue('form')
    await wrapper.get(id('notification-header-add')).trigger('click')
    await wrapper.get(id('notification-header-key')).setValue('X-Token')
    await wrapper.get(id('notification-header-value')).setValue('t0ken')
    await wrapper.get(id('notification-header-add')).trigger('click') // left empty: dropped
    await wrapper.get(id('notification-on-item_completed')).setValue(true)
    await wrapper.get(id('notification-presets')).setValue(' default, members ,')
    await wrapper.get(id('notification-form')).trigger('submit')
    await flush()
    const writes = calls.filter((c) => c.method !== 'GET')
    expect(writes.map((c) => [c.method, c.url.pathname, c.body])).toEqual([[
      'POST', '/api/notifications/',
      {
        name: 'Hook', on: ['item_completed'], presets: ['default', 'members'], enabled: true,
        request: { type: 'form', method: 'PUT', url: 'https://example.com/hook', data_key: 'data', headers: [{ key: 'X-Token', value: 't0ken' }] },
      },
    ]])
    expect(wrapper.find(id('notification-form')).exists()).toBe(false)
    expect(wrapper.get(id('notification-item')).text()).toContain('PUT webhook (form) · item_completed')
  })

  it('saves an edit with PATCH of the changed fields only', async () => {
    const { calls } = mockFetch({
      ...EVENTS,
      'GET /api/notifications/': { items: [HOOK], pagination: {} },
      'GET /api/notifications/2': HOOK,
      'PATCH /api/notifications/2': (c: { body: unknown }) => ({ ...HOOK, ...(c.body as object) }),
    })
    const wrapper = mount(NotificationsView)
    await flush()
    await wrapper.get(id('notification-edit')).trigger('click')
    await flush()
    expect((wrapper.get(id('notification-header-value')).element as HTMLInputElement).value).toBe('t0ken')
    expect((wrapper.get(id('notification-presets')).element as HTMLInputElement).value).toBe('default')
    await wrapper.get(id('notification-name')).setValue('Renamed')
    await wrapper.get(id('notification-form')).trigger('submit')
    await flush()
    const writes = calls.filter((c) => c.method !== 'GET')
    expect(writes.map((c) => [c.method, c.url.pathname, c.body])).toEqual([['PATCH', '/api/notifications/2', { name: 'Renamed' }]])
    expect(wrapper.get(id('notification-item')).text()).toContain('Renamed')
  })

  it('shows the server validation message beside the form', async () => {
    mockFetch({
      ...EVENTS,
      'GET /api/notifications/': { items: [], pagination: {} },
      'POST /api/notifications/': jsonResponse(400, { error: 'request.url: not a URL.' }),
    })
    const wrapper = mount(NotificationsView)
    await flush()
    await wrapper.get(id('notification-new')).trigger('click')
    await wrapper.get(id('notification-name')).setValue('Nowhere')
    await wrapper.get(id('notification-url')).setValue('not a url')
    await wrapper.get(id('notification-form')).trigger('submit')
    await flush()
    expect(wrapper.get(id('notification-error')).text()).toBe('request.url: not a URL.')
    expect(wrapper.find(id('notification-form')).exists()).toBe(true)
  })

  it('shows each target’s test result', async () => {
    mockFetch({
      ...EVENTS,
      'GET /api/notifications/': { items: [HOOK], pagination: {} },
      'POST /api/notifications/test': {
        results: [
          { id: 2, name: 'Hook', delivered: true, error: null, attempts: 1 },
          { id: 3, name: 'Down', delivered: false, error: 'HTTP 500', attempts: 3 },
        ],
      },
    })
    const wrapper = mount(NotificationsView)
    await flush()
    await wrapper.get(id('notification-test')).trigger('click')
    await flush()
    const results = wrapper.findAll(id('notification-test-result'))
    expect(results.map((r) => [r.text(), r.attributes('data-delivered')])).toEqual([
      ['Hook: delivered', 'true'],
      ['Down: not delivered (HTTP 500, 3 attempts)', 'false'],
    ])
  })
})
