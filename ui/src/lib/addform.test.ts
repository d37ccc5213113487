import { describe, expect, it } from 'vitest'
import { buildRequests, fieldsToCli, isSubmitKey, splitUrls } from '@/lib/addform'
import type { DlField } from '@/api/types'

describe('add form helpers', () => {
  it('sends on Enter, not on Shift+Enter or an IME composition', () => {
    const key = (over: Partial<KeyboardEvent>) => ({ key: 'Enter', shiftKey: false, isComposing: false, keyCode: 13, ...over })
    expect(isSubmitKey(key({}))).toBe(true)
    expect(isSubmitKey(key({ ctrlKey: true }))).toBe(true)
    expect(isSubmitKey(key({ shiftKey: true }))).toBe(false)
    expect(isSubmitKey(key({ isComposing: true }))).toBe(false)
    expect(isSubmitKey(key({ keyCode: 229 }))).toBe(false)
    expect(isSubmitKey(key({ key: 'a', keyCode: 65 }))).toBe(false)
  })

  it('splits one URL per line and drops blanks', () => {
    expect(splitUrls(' https://a/1 \n\n https://b/2\r\nhttps://c/3 ')).toEqual(['https://a/1', 'https://b/2', 'https://c/3'])
    expect(splitUrls('   ')).toEqual([])
  })

  it('turns filled download fields into CLI options', () => {
    const fields: DlField[] = [
      { id: 1, name: 'No playlist', field: '--no-playlist', kind: 'bool' },
      { id: 2, name: 'Languages', field: '--sub-langs', kind: 'text' },
      { id: 3, name: 'Proxy', field: '--proxy', kind: 'text' },
    ]
    expect(fieldsToCli(' -f best ', fields, { '--no-playlist': true, '--sub-langs': 'en.*,ja', '--proxy': '' })).toBe(
      "-f best --no-playlist --sub-langs 'en.*,ja'",
    )
    expect(fieldsToCli('', fields, { '--no-playlist': false, '--unknown': 'x' })).toBe('')
  })

  it('sends only the options that are set', () => {
    expect(buildRequests(['u1', 'u2'], { preset: '', folder: ' ', template: '', cli: '', cookies: '', autoStart: false })).toEqual([
      { url: 'u1', auto_start: false },
      { url: 'u2', auto_start: false },
    ])
    expect(buildRequests(['u'], { preset: 'audio', folder: 'music', template: '%(title)s.%(ext)s', cli: '-x', cookies: 'c', autoStart: true })).toEqual([
      { url: 'u', auto_start: true, preset: 'audio', folder: 'music', template: '%(title)s.%(ext)s', cli: '-x', cookies: 'c' },
    ])
  })
})
