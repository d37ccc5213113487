import { describe, expect, it, vi } from 'vitest'
import { dispatch, parseFrame } from '@/api/events'

describe('parseFrame', () => {
  it('reads the envelope and its payload', () => {
    const frame = parseFrame(JSON.stringify({
      event: 'item_status',
      data: { id: 'e1', created_at: 'now', event: 'item_status', title: 'Added', message: 'ok', data: { status: 'ok', preset: 'default' } },
    }))
    expect(frame?.data.title).toBe('Added')
    expect(frame?.data.data).toEqual({ status: 'ok', preset: 'default' })
  })

  it('wraps a bare payload so handlers see one shape', () => {
    const frame = parseFrame(JSON.stringify({ event: 'paused', data: { paused: true, at: 1 } }))
    expect(frame?.data.data).toEqual({ paused: true, at: 1 })
    expect(frame?.data.message).toBeNull()
  })

  it('ignores broken and unknown frames', () => {
    expect(parseFrame('not json')).toBeNull()
    expect(parseFrame('[]')).toBeNull()
    expect(parseFrame(JSON.stringify({ event: 'nope', data: {} }))).toBeNull()
    expect(parseFrame(JSON.stringify({ event: 'paused', data: 'x' }))).toBeNull()
  })
})

describe('dispatch', () => {
  it('calls the handler of the frame event with payload and envelope', () => {
    const paused = vi.fn()
    const frame = parseFrame(JSON.stringify({ event: 'paused', data: { paused: true, at: 1 } }))!
    dispatch(frame, { paused })
    dispatch(frame, {})
    expect(paused).toHaveBeenCalledTimes(1)
    expect(paused.mock.calls[0]?.[0]).toEqual({ paused: true, at: 1 })
  })
})
