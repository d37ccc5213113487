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
    mockFetch({ 'GET /api/presets/': { items: [{ id: 1, name: 'default', cli: '', default: true }], pagination: {} } })
    const wrapper = mount(PresetsView)
    await flush()
    expect(wrapper.find(id('preset-edit')).exists()).toBe(false)
    expect(wrapper.find(id('preset-delete')).exists()).toBe(false)
    await wrapper.get(id('preset-view')).trigger('click')
    expect(wrapper.find(id('preset-save')).exists()).toBe(false)
    expect(wrapper.get(id('preset-name')).element.closest('fieldset')?.disabled).toBe(true)
  })
})
