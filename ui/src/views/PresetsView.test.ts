import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { flush, jsonResponse, mockFetch } from '@/testing'
import PresetsView from '@/views/PresetsView.vue'

beforeEach(() => setActivePinia(createPinia()))

const id = (name: string) => `[data-testid="${name}"]`

describe('PresetsView', () => {
  it('shows an empty list with a message when the route is missing', async () => {
    mockFetch({})
    const wrapper = mount(PresetsView)
    await flush()
    expect(wrapper.findAll(id('preset-item'))).toHaveLength(0)
    expect(wrapper.get(id('preset-list-message')).text()).toBe('This server does not offer presets yet.')
  })

  it('shows the server validation message beside the form', async () => {
    mockFetch({
      'GET /api/presets/': { items: [], pagination: {} },
      'POST /api/presets/': jsonResponse(400, { error: "Invalid yt-dlp option '--bogus'." }),
    })
    const wrapper = mount(PresetsView)
    await flush()
    await wrapper.get(id('preset-new')).trigger('click')
    await wrapper.get(id('preset-name')).setValue('mine')
    await wrapper.get(id('preset-cli')).setValue('--bogus')
    await wrapper.get(id('preset-form')).trigger('submit')
    await flush()
    expect(wrapper.get(id('preset-error')).text()).toBe("Invalid yt-dlp option '--bogus'.")
    expect(wrapper.find(id('preset-form')).exists()).toBe(true)
  })

  it('opens built-in presets read-only', async () => {
    mockFetch({
      'GET /api/presets/': { items: [{ id: -1, name: 'default', cli: '', default: true, has_cookies: false }], pagination: {} },
      'GET /api/presets/-1': { id: -1, name: 'default', cli: '', cookies: '', default: true },
    })
    const wrapper = mount(PresetsView)
    await flush()
    expect(wrapper.find(id('preset-edit')).exists()).toBe(false)
    expect(wrapper.find(id('preset-delete')).exists()).toBe(false)
    await wrapper.get(id('preset-view')).trigger('click')
    await flush()
    expect(wrapper.get(id('preset-form')).find('h2').text()).toBe('Built-in preset default (read-only)')
    expect(wrapper.find(id('preset-save')).exists()).toBe(false)
    expect(wrapper.get(id('preset-name')).element.closest('fieldset')?.disabled).toBe(true)
  })

  it('saves an edit with PATCH of the changed fields, keeping the cookies', async () => {
    const { calls } = mockFetch({
      'GET /api/presets/': { items: [{ id: 4, name: 'members', cli: '-f b', has_cookies: true }], pagination: {} },
      'GET /api/presets/4': { id: 4, name: 'members', cli: '-f b', cookies: '# Netscape HTTP Cookie File' },
      'PATCH /api/presets/4': (c: { body: unknown }) => ({ id: 4, name: 'members', cookies: '# Netscape HTTP Cookie File', ...(c.body as object) }),
    })
    const wrapper = mount(PresetsView)
    await flush()
    await wrapper.get(id('preset-edit')).trigger('click')
    await flush()
    expect(wrapper.get(id('preset-form')).find('h2').text()).toBe('Edit preset members')
    expect((wrapper.get(id('preset-cookies')).element as HTMLTextAreaElement).value).toBe('# Netscape HTTP Cookie File')
    await wrapper.get(id('preset-cli')).setValue('-f w')
    await wrapper.get(id('preset-form')).trigger('submit')
    await flush()
    const writes = calls.filter((c) => c.method !== 'GET')
    expect(writes.map((c) => [c.method, c.url.pathname, c.body])).toEqual([['PATCH', '/api/presets/4', { cli: '-f w' }]])
    expect(wrapper.find(id('preset-form')).exists()).toBe(false)
    expect(wrapper.get(id('preset-item')).text()).toContain('-f w')
  })
})
