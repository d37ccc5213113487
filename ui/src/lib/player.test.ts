import { describe, expect, it } from 'vitest'
import { encodePath, fileTitle, isPlayable, playlistUrl } from '@/lib/player'

describe('player addresses', () => {
  it('offers media files only', () => {
    expect(isPlayable('Show/Episode 1.mp4')).toBe(true)
    expect(isPlayable('song.OPUS')).toBe(true)
    expect(isPlayable('notes.txt')).toBe(false)
    expect(isPlayable('.mp4')).toBe(false)
    expect(isPlayable(null)).toBe(false)
  })

  it('encodes each path segment and keeps the folders', () => {
    expect(encodePath('a b/c#1?.mp4')).toBe('a%20b/c%231%3F.mp4')
    expect(playlistUrl('a b/c.mkv')).toMatch(/\/api\/player\/playlist\/a%20b\/c\.mkv\.m3u8$/)
  })

  it('titles a file by its name', () => {
    expect(fileTitle('Show/Episode 1.mp4')).toBe('Episode 1')
    expect(fileTitle('noext')).toBe('noext')
  })
})
