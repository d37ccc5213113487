import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flush, jsonResponse, mockFetch } from '@/testing'
import TasksView from '@/views/TasksView.vue'

beforeEach(() => setActivePinia(createPinia()))
afterEach(() => vi.useRealTimers())

const id = (name: string) => `[data-testid="${name}"]`
const PRESETS = { 'GET /api/presets/': { items: [], pagination: {} } }
const TASK = {
  id: 3, name: 'Channel', url: 'https://example.com/c', timer: '0 */6 * * *', preset: 'default',
  auto_start: false, enabled: true, has_cookies: false,
  run: { next_run: 1767225600, last_run: null, last_status: '', last_message: '', last_queued: 0, running: false },
}
const RAN = {
  ...TASK, cookies: '',
  run: { ...TASK.run, last_run: 1767200000, last_status: 'ok', last_message: '2 queued of 5 found, 2 new', last_queued: 2 },
}

describe('TasksView', () => {
  it('lists a task with its timer, next run and no last run', async () => {
    mockFetch({ ...PRESETS, 'GET /api/tasks/': { items: [TASK], pagination: {} } })
    const wrapper = mount(TasksView)
    await flush()
    const item = wrapper.get(id('task-item'))
    expect(item.get(id('task-timer-text')).text()).toBe('0 */6 * * *')
    expect(item.get(id('task-next-run')).attributes('data-time')).toBe('1767225600')
    expect(item.get(id('task-next-run')).text()).toBe(new Date(1767225600 * 1000).toLocaleString())
    expect(item.get(id('task-last-run')).attributes('data-status')).toBe('never')
  })

  it('runs a task now, shows the answer and rereads its run block', async () => {
    const { calls } = mockFetch({
      ...PRESETS,
      'GET /api/tasks/': { items: [TASK], pagination: {} },
      'POST /api/tasks/3/run': { status: 'ok', message: '2 queued of 5 found, 2 new', found: 5, queued: 2 },
      'GET /api/tasks/3': RAN,
    })
    const wrapper = mount(TasksView)
    await flush()
    await wrapper.get(id('task-run')).trigger('click')
    await flush()
    expect(wrapper.get(id('task-action-result')).text()).toBe('2 queued of 5 found, 2 new')
    expect(wrapper.get(id('task-action-result')).attributes('data-ok')).toBe('true')
    expect(wrapper.get(id('task-last-run')).attributes('data-status')).toBe('ok')
    expect(wrapper.get(id('task-last-queued')).text()).toBe('2 queued')
    expect(calls.map((c) => `${c.method} ${c.url.pathname}`)).toContain('POST /api/tasks/3/run')
  })

  it('shows a refused action (409: already running) as an error', async () => {
    mockFetch({
      ...PRESETS,
      'GET /api/tasks/': { items: [TASK], pagination: {} },
      'POST /api/tasks/3/mark': jsonResponse(409, { error: 'The task is running.' }),
      'GET /api/tasks/3': { ...TASK, cookies: '' },
    })
    const wrapper = mount(TasksView)
    await flush()
    await wrapper.get(id('task-mark')).trigger('click')
    await flush()
    expect(wrapper.get(id('task-action-result')).attributes('data-ok')).toBe('false')
    expect(wrapper.get(id('task-action-result')).text()).toBe('The task is running.')
  })

  it('the editor previews the timer and inspects the URL', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date(2024, 0, 30, 22, 59, 30))
    const { calls } = mockFetch({
      ...PRESETS,
      'GET /api/tasks/': { items: [], pagination: {} },
      'POST /api/tasks/inspect': {
        matched: true, handler: 'GenericTaskHandler', supported: true,
        items: [{ url: 'https://example.com/v/1', title: 'One', archive_id: 'example 1', metadata: {} }],
        metadata: { raw_count: 1 },
      },
    })
    const wrapper = mount(TasksView)
    await flush()
    await wrapper.get(id('task-new')).trigger('click')
    expect(wrapper.find(id('task-timer-none')).exists()).toBe(true)
    await wrapper.get(id('task-timer')).setValue('0 */6 * * *')
    const runs = wrapper.findAll(id('task-timer-run'))
    expect(runs.map((r) => new Date(r.attributes('data-time')!).getHours())).toEqual([0, 6, 12])
    await wrapper.get(id('task-timer')).setValue('0 25 * * *')
    expect(wrapper.get(id('task-timer-error')).text()).toMatch(/hour: 25 is out of 0-23/)

    await wrapper.get(id('task-url-input')).setValue('https://example.com/c')
    await wrapper.get(id('task-inspect')).trigger('click')
    await flush()
    expect(wrapper.get(id('task-inspect-result')).attributes('data-handler')).toBe('GenericTaskHandler')
    expect(wrapper.findAll(id('task-inspect-item'))).toHaveLength(1)
    const inspect = calls.find((c) => c.url.pathname === '/api/tasks/inspect')
    expect(inspect?.body).toEqual({ url: 'https://example.com/c', preset: 'default', handler: '', static_only: false })
  })
})
