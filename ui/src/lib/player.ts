// The player's addresses: a downloaded file (its path relative to the download root) as HLS.
import { apiUrl } from '@/api/client'

/** Extensions the player offers to play (video and audio containers ffmpeg reads). */
const MEDIA = new Set([
  'mp4', 'm4v', 'mkv', 'webm', 'mov', 'avi', 'flv', 'ts', 'm2ts', 'mpg', 'mpeg', '3gp', 'ogv',
  'm4a', 'mp3', 'aac', 'opus', 'ogg', 'oga', 'flac', 'wav', 'mka',
])

export function isPlayable(file: string | null | undefined): boolean {
  if (!file) return false
  const dot = file.lastIndexOf('.')
  return dot > 0 && MEDIA.has(file.slice(dot + 1).toLowerCase())
}

/** Each path segment encoded, the slashes kept: `a b/c.mp4` → `a%20b/c.mp4`. */
export function encodePath(file: string): string {
  return file.split('/').filter(Boolean).map(encodeURIComponent).join('/')
}

/** The HLS multivariant playlist of a file: the video and its subtitle tracks. */
export function playlistUrl(file: string): string {
  return apiUrl(`api/player/playlist/${encodePath(file)}.m3u8`)
}

/** The last path segment, without its extension: the title shown above the player. */
export function fileTitle(file: string): string {
  const name = file.split('/').filter(Boolean).pop() ?? file
  const dot = name.lastIndexOf('.')
  return dot > 0 ? name.slice(0, dot) : name
}
