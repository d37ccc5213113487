import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { useQueueStore } from '@/stores/queue'
import { flush, makeItem } from '@/testing'
import QueueList from '@/components/QueueList.vue'

beforeEach(() => setActivePinia(createPinia()))

const text = (wrapper: ReturnType<typeof mount>, id: string) => wrapper.get(`[data-testid="${id}"]`).text()

describe('QueueList totals', () => {
  it('shows the whole queue’s speed, items left and ETA, and follows progress', async () => {
    const queue = useQueueStore()
    const wrapper = mount(QueueList)
    expect(wrapper.find('[data-testid="queue-totals"]').exists()).toBe(false)
    const running = makeItem({ status: 'downloading', speed: 2048, total_bytes: 4096 * 30, downloaded_bytes: 0 })
    queue.replaceAll([running, makeItem({ total_bytes: 4096 * 30 })])
    await flush()
    expect(text(wrapper, 'total-speed')).toBe('2.0 KiB/s')
    expect(text(wrapper, 'total-left')).toBe('2')
    expect(text(wrapper, 'total-eta')).toBe('2:00')

    queue.update({ ...running, speed: 4096, downloaded_bytes: 4096 * 30 })
    await flush()
    expect(text(wrapper, 'total-speed')).toBe('4.0 KiB/s')
    expect(text(wrapper, 'total-eta')).toBe('0:30')
  })
})
