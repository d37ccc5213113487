import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { flush, jsonResponse, mockFetch } from '@/testing'
import DefinitionsView from '@/views/DefinitionsView.vue'

beforeEach(() => setActivePinia(createPinia()))

const id = (name: string) => `[data-testid="${name}"]`
const RULES = {
  parse: {
    url: { glob: 'https://example.com/listing/*' },
    items: { selector: 'article.card', url: { expression: 'a.link', attribute: 'href' }, title: { expression: 'h3' } },
  },
  engine: { type: 'html' },
}
const SAVED = { id: 5, name: 'Listing', description: 'cards', enabled: true, definition: RULES }
const LIST = { 'GET /api/tasks/definitions/': { items: [{ id: 5, name: 'Listing', description: 'cards', enabled: true }], pagination: {} } }

describe('DefinitionsView', () => {
  it('previews the unsaved rules against a URL', async () => {
    const { calls } = mockFetch({
      'GET /api/tasks/definitions/': { items: [], pagination: {} },
      'POST /api/tasks/definitions/inspect': {
        matched: true, definition: null,
        items: [{ url: 'https://example.com/watch/a', title: 'A', id: 'a', archive_id: 'fixture a' }],
        metadata: { raw_count: 1, page_url: 'https://example.com/listing/x' },
      },
    })
    const wrapper = mount(DefinitionsView)
    await flush()
    await wrapper.get(id('definition-new')).trigger('click')
    await wrapper.get(id('definition-rules')).setValue(JSON.stringify(RULES))
    await wrapper.get(id('definition-inspect-url')).setValue('https://example.com/listing/x')
    await wrapper.get(id('definition-inspect')).trigger('click')
    await flush()
    const inspect = calls.find((c) => c.method === 'POST')
    expect(inspect?.body).toEqual({ url: 'https://example.com/listing/x', definition: RULES })
    const result = wrapper.get(id('definition-inspect-result'))
    expect(result.text()).toContain('1 items (1 found on https://example.com/listing/x)')
    expect(result.findAll('li').map((li) => li.text())).toEqual(['A — fixture a'])
  })

  it('stops rules that are not a JSON object before the server', async () => {
    const { calls } = mockFetch({ 'GET /api/tasks/definitions/': { items: [], pagination: {} } })
    const wrapper = mount(DefinitionsView)
    await flush()
    await wrapper.get(id('definition-new')).trigger('click')
    await wrapper.get(id('definition-name')).setValue('Broken')
    await wrapper.get(id('definition-rules')).setValue('[1, 2')
    await wrapper.get(id('definition-form')).trigger('submit')
    await wrapper.get(id('definition-inspect')).trigger('click')
    await flush()
    const message = 'The definition must be a JSON object with parse, engine, request and response.'
    expect(wrapper.get(id('definition-error')).text()).toBe(message)
    expect(wrapper.get(id('definition-inspect-error')).text()).toBe(message)
    expect(calls.filter((c) => c.method !== 'GET')).toEqual([])
  })

  it('shows the server validation message beside the form', async () => {
    mockFetch({
      'GET /api/tasks/definitions/': { items: [], pagination: {} },
      'POST /api/tasks/definitions/': jsonResponse(400, { error: 'parse.url: exactly one of glob or regex.' }),
    })
    const wrapper = mount(DefinitionsView)
    await flush()
    await wrapper.get(id('definition-new')).trigger('click')
    await wrapper.get(id('definition-name')).setValue('Both')
    await wrapper.get(id('definition-form')).trigger('submit')
    await flush()
    expect(wrapper.get(id('definition-error')).text()).toBe('parse.url: exactly one of glob or regex.')
    expect(wrapper.find(id('definition-form')).exists()).toBe(true)
  })

  it('opens the full definition and saves an edit with PATCH of the changed fields', async () => {
    const { calls } = mockFetch({
      ...LIST,
      'GET /api/tasks/definitions/5': SAVED,
      'PATCH /api/tasks/definitions/5': (c: { body: unknown }) => ({ ...SAVED, ...(c.body as object) }),
    })
    const wrapper = mount(DefinitionsView)
    await flush()
    await wrapper.get(id('definition-edit')).trigger('click')
    await flush()
    const text = wrapper.get(id('definition-rules')).element as HTMLTextAreaElement
    expect(JSON.parse(text.value)).toEqual(RULES)
    const edited = { ...RULES, engine: { type: 'json' } }
    await wrapper.get(id('definition-rules')).setValue(JSON.stringify(edited))
    await wrapper.get(id('definition-enabled')).setValue(false)
    await wrapper.get(id('definition-form')).trigger('submit')
    await flush()
    const writes = calls.filter((c) => c.method !== 'GET')
    expect(writes.map((c) => [c.method, c.url.pathname, c.body])).toEqual([
      ['PATCH', '/api/tasks/definitions/5', { enabled: false, definition: edited }],
    ])
    expect(wrapper.find(id('definition-form')).exists()).toBe(false)
    expect(wrapper.get(id('definition-item')).text()).toContain('disabled')
  })

  it('starts with an empty preview when another definition is opened', async () => {
    mockFetch({
      ...LIST,
      'GET /api/tasks/definitions/5': SAVED,
      'POST /api/tasks/definitions/inspect': {
        matched: true, definition: null, items: [], metadata: { raw_count: 0, page_url: 'https://example.com/x' },
      },
    })
    const wrapper = mount(DefinitionsView)
    await flush()
    await wrapper.get(id('definition-new')).trigger('click')
    await wrapper.get(id('definition-rules')).setValue(JSON.stringify(RULES))
    await wrapper.get(id('definition-inspect-url')).setValue('https://example.com/x')
    await wrapper.get(id('definition-inspect')).trigger('click')
    await flush()
    expect(wrapper.find(id('definition-inspect-result')).exists()).toBe(true)
    await wrapper.get(id('definition-edit')).trigger('click')
    await flush()
    expect(wrapper.find(id('definition-inspect-result')).exists()).toBe(false)
    const url = wrapper.get(id('definition-inspect-url')).element as HTMLInputElement
    expect(url.value).toBe('')
  })
})
