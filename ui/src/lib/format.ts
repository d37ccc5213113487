// Pure formatting helpers for sizes, speeds, durations and dates.

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB']

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '—'
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024
    unit += 1
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1
  return `${value.toFixed(digits)} ${UNITS[unit]}`
}

export function formatSpeed(bytesPerSecond: number | null | undefined): string {
  if (!bytesPerSecond || !Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0) return '—'
  return `${formatBytes(bytesPerSecond)}/s`
}

/** Seconds as m:ss or h:mm:ss. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—'
  const total = Math.round(seconds)
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = String(total % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`
}

export function formatEta(seconds: number | null | undefined): string {
  return formatDuration(seconds)
}

/** Progress in percent (0-100) from the item's percent or its byte counts; null when unknown. */
export function progressOf(item: {
  percent?: number | null
  downloaded_bytes?: number | null
  total_bytes?: number | null
}): number | null {
  if (typeof item.percent === 'number' && Number.isFinite(item.percent)) {
    return Math.min(100, Math.max(0, item.percent))
  }
  if (item.total_bytes && item.downloaded_bytes !== null && item.downloaded_bytes !== undefined) {
    return Math.min(100, Math.max(0, (item.downloaded_bytes / item.total_bytes) * 100))
  }
  return null
}

/** An item's date: `timestamp` is in nanoseconds, `datetime` an RFC 2822 string. */
export function itemDate(item: { timestamp?: number | null; datetime?: string | null }): Date | null {
  if (typeof item.timestamp === 'number' && item.timestamp > 0) return new Date(item.timestamp / 1e6)
  if (item.datetime) {
    const date = new Date(item.datetime)
    if (!Number.isNaN(date.getTime())) return date
  }
  return null
}

export function formatDate(date: Date | null): string {
  return date ? date.toLocaleString() : ''
}

/** Quotes a value for a yt-dlp command line when it holds spaces or quotes. */
export function shellQuote(value: string): string {
  if (/^[\w@%+=:,./-]+$/.test(value)) return value
  return `'${value.replace(/'/g, `'\\''`)}'`
}
