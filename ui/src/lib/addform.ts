// Pure helpers of the add form: splitting URLs and turning download fields into CLI options.
import { shellQuote } from '@/lib/format'
import type { AddRequest, DlField } from '@/api/types'

/** One URL per line (or separated by spaces); blank lines are dropped. */
export function splitUrls(text: string): string[] {
  return text.split(/\s+/).map((url) => url.trim()).filter(Boolean)
}

/**
 * Whether a key press in the URL box sends the form: Enter (Ctrl/Cmd+Enter too), but not
 * Shift+Enter (another line) and not the Enter that ends an IME composition (`isComposing`;
 * keyCode 229 is what Safari reports for it).
 */
export function isSubmitKey(event: Pick<KeyboardEvent, 'key' | 'shiftKey' | 'isComposing' | 'keyCode'>): boolean {
  if (event.key !== 'Enter' || event.shiftKey) return false
  return !event.isComposing && event.keyCode !== 229
}

/** Appends each filled download field to the CLI: a bool as its flag, others as `flag value`. */
export function fieldsToCli(cli: string, fields: DlField[], values: Record<string, string | boolean | undefined>): string {
  const parts = cli.trim() ? [cli.trim()] : []
  for (const field of fields) {
    const value = values[field.field]
    if (value === undefined || value === false || value === '') continue
    parts.push(value === true ? field.field : `${field.field} ${shellQuote(String(value))}`)
  }
  return parts.join(' ')
}

export interface AddOptions {
  preset: string
  folder: string
  template: string
  cli: string
  cookies: string
  autoStart: boolean
}

export function buildRequests(urls: string[], options: AddOptions): AddRequest[] {
  return urls.map((url) => {
    const request: AddRequest = { url, auto_start: options.autoStart }
    if (options.preset) request.preset = options.preset
    if (options.folder.trim()) request.folder = options.folder.trim()
    if (options.template.trim()) request.template = options.template.trim()
    if (options.cli.trim()) request.cli = options.cli.trim()
    if (options.cookies.trim()) request.cookies = options.cookies
    return request
  })
}
