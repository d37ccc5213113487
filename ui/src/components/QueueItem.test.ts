import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { makeItem } from '@/testing'
import QueueItem from '@/components/QueueItem.vue'

describe('QueueItem', () => {
  it('shows status, a real progress bar, speed, ETA and size', () => {
    const item = makeItem({ status: 'downloading', percent: 42.4, speed: 1536, eta: 65, total_bytes: 10 * 1024 * 1024 })
    const wrapper = mount(QueueItem, { props: { item, selected: false } })
    expect(wrapper.get('[data-testid="queue-item"]').attributes('data-id')).toBe(item._id)
    expect(wrapper.get('[data-testid="item-status"]').text()).toBe('downloading')
    const bar = wrapper.get('[data-testid="item-progress"]')
    expect(bar.element.tagName).toBe('PROGRESS')
    expect(bar.attributes('aria-valuenow')).toBe('42')
    expect(wrapper.get('[data-testid="item-speed"]').text()).toBe('1.5 KiB/s')
    expect(wrapper.get('[data-testid="item-eta"]').text()).toBe('1:05')
    expect(wrapper.get('[data-testid="item-size"]').text()).toBe('10.0 MiB')
  })

  it('offers start for a paused item and pause for a waiting one', async () => {
    const paused = mount(QueueItem, { props: { item: makeItem({ auto_start: false }), selected: false } })
    expect(paused.get('[data-testid="item-status"]').text()).toBe('paused')
    expect(paused.find('[data-testid="item-pause"]').exists()).toBe(false)
    await paused.get('[data-testid="item-start"]').trigger('click')
    await paused.get('[data-testid="item-cancel"]').trigger('click')
    await paused.get('[data-testid="item-delete"]').trigger('click')
    expect(paused.emitted('action')).toEqual([['start'], ['cancel'], ['delete']])

    const waiting = mount(QueueItem, { props: { item: makeItem({ status: 'pending' }), selected: false } })
    await waiting.get('[data-testid="item-pause"]').trigger('click')
    expect(waiting.emitted('action')).toEqual([['pause']])
  })

  it('shows an indeterminate bar when the size is unknown', () => {
    const wrapper = mount(QueueItem, { props: { item: makeItem({ status: 'preparing' }), selected: false } })
    expect(wrapper.get('[data-testid="item-progress"]').attributes('value')).toBeUndefined()
  })
})
