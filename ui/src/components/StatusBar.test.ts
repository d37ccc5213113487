import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { useConnectionStore } from '@/stores/connection'
import { useQueueStore } from '@/stores/queue'
import { useSystemStore } from '@/stores/system'
import { flush, jsonResponse, makeItem, mockFetch } from '@/testing'
import StatusBar from '@/components/StatusBar.vue'

beforeEach(() => setActivePinia(createPinia()))

describe('StatusBar', () => {
  it('shows the connection state and the counts', async () => {
    const wrapper = mount(StatusBar)
    expect(wrapper.get('[data-testid="conn-state"]').text()).toBe('reconnecting')
    useConnectionStore().state = 'polling'
    useQueueStore().replaceAll([makeItem({ status: 'downloading' }), makeItem(), makeItem()])
    useSystemStore().historyCount = 12
    await flush()
    expect(wrapper.get('[data-testid="conn-state"]').text()).toBe('polling')
    expect(wrapper.text()).toContain('refreshing every 10 s')
    expect(wrapper.get('[data-testid="count-queued"]').text()).toBe('2')
    expect(wrapper.get('[data-testid="count-running"]').text()).toBe('1')
    expect(wrapper.get('[data-testid="count-finished"]').text()).toBe('12')
  })

  it('pauses and resumes downloads', async () => {
    const { calls } = mockFetch({
      'POST /api/system/pause': { message: 'paused' },
      'POST /api/system/resume': jsonResponse(406, { error: 'Downloads are not paused.' }),
    })
    const wrapper = mount(StatusBar)
    const toggle = wrapper.get('[data-testid="pause-toggle"]')
    await toggle.trigger('click')
    await flush()
    expect(useSystemStore().paused).toBe(true)
    expect(toggle.text()).toBe('Resume downloads')
    expect(toggle.attributes('aria-pressed')).toBe('true')
    await toggle.trigger('click')
    await flush()
    expect(useSystemStore().paused).toBe(false)
    expect(calls.map((c) => c.url.pathname)).toEqual(['/api/system/pause', '/api/system/resume'])
  })
})
