// The app's PNG icons (for the web app manifest and home screens), drawn at build time from
// the same shapes as public/favicon.svg: a blue rounded square with a white arrow into a tray.
// No image library: a few line segments, edges smoothed by their distance, a minimal PNG encoder.
import { deflateSync } from 'node:zlib'
import type { Plugin } from 'vite'

type Segment = [number, number, number, number]

const BLUE: [number, number, number] = [0x24, 0x56, 0xd3]
// favicon.svg's strokes on its 32x32 grid: the arrow's shaft, its two barbs, the tray.
const STROKES: Segment[] = [[16, 7, 16, 20], [10, 14, 16, 20], [22, 14, 16, 20], [9, 25, 23, 25]]
const STROKE_WIDTH = 3

function distanceToSegment(px: number, py: number, [x1, y1, x2, y2]: Segment): number {
  const dx = x2 - x1
  const dy = y2 - y1
  const t = Math.max(0, Math.min(1, ((px - x1) * dx + (py - y1) * dy) / (dx * dx + dy * dy)))
  return Math.hypot(px - (x1 + t * dx), py - (y1 + t * dy))
}

/** How far (grid units) a point is outside the rounded square; negative inside. */
function outsideRoundedSquare(x: number, y: number, radius: number): number {
  const cx = Math.min(Math.max(x, radius), 32 - radius)
  const cy = Math.min(Math.max(y, radius), 32 - radius)
  const corner = Math.hypot(x - cx, y - cy) - radius
  const edge = Math.max(-x, x - 32, -y, y - 32)
  return Math.max(corner, edge)
}

/** Coverage of a pixel by a shape from the signed distance to its edge (in pixels). */
const coverage = (signedDistance: number): number => Math.min(1, Math.max(0, 0.5 - signedDistance))

/** RGBA pixels of the icon at `size`; `maskable` fills the square and shrinks the mark into the safe zone. */
export function drawIcon(size: number, maskable = false): Uint8Array {
  const pixels = new Uint8Array(size * size * 4)
  const scale = maskable ? 0.7 : 1
  const pixelsPerUnit = size / 32
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const gx = ((x + 0.5) / size) * 32
      const gy = ((y + 0.5) / size) * 32
      const cover = maskable ? 1 : coverage(outsideRoundedSquare(gx, gy, 7) * pixelsPerUnit)
      const mx = 16 + (gx - 16) / scale
      const my = 16 + (gy - 16) / scale
      const nearest = Math.min(...STROKES.map((s) => distanceToSegment(mx, my, s)))
      const white = coverage((nearest - STROKE_WIDTH / 2) * scale * pixelsPerUnit)
      const at = (y * size + x) * 4
      for (let c = 0; c < 3; c++) pixels[at + c] = Math.round(BLUE[c]! + (255 - BLUE[c]!) * white)
      pixels[at + 3] = Math.round(255 * cover)
    }
  }
  return pixels
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(data: Uint8Array): number {
  let crc = 0xffffffff
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const out = Buffer.alloc(body.length + 8)
  out.writeUInt32BE(data.length, 0)
  body.copy(out, 4)
  out.writeUInt32BE(crc32(body), body.length + 4)
  return out
}

/** An RGBA image as a PNG file. */
export function encodePng(size: number, rgba: Uint8Array): Buffer {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(size, 0)
  header.writeUInt32BE(size, 4)
  header[8] = 8 // bits per channel
  header[9] = 6 // RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1))
  for (let y = 0; y < size; y++) {
    rows[y * (size * 4 + 1)] = 0 // no filter
    Buffer.from(rgba.buffer, rgba.byteOffset + y * size * 4, size * 4).copy(rows, y * (size * 4 + 1) + 1)
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', new Uint8Array())])
}

export const ICONS = [
  { fileName: 'icon-192.png', size: 192, maskable: false },
  { fileName: 'icon-512.png', size: 512, maskable: false },
  { fileName: 'icon-maskable-512.png', size: 512, maskable: true },
  { fileName: 'apple-touch-icon.png', size: 180, maskable: true },
]

/** Emits the icons into the build, next to index.html and the manifest. */
export function appIcons(): Plugin {
  return {
    name: 'tubestash-icons',
    apply: 'build',
    generateBundle() {
      for (const icon of ICONS) {
        const source = encodePng(icon.size, drawIcon(icon.size, icon.maskable))
        this.emitFile({ type: 'asset', fileName: icon.fileName, source })
      }
    },
  }
}
