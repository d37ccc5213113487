import { inflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { drawIcon, encodePng } from './icons'

describe('app icons', () => {
  it('are valid PNGs of the asked size', () => {
    const png = encodePng(48, drawIcon(48))
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR')
    expect(png.readUInt32BE(16)).toBe(48)
    expect(png.readUInt32BE(20)).toBe(48)
    const idatLength = png.readUInt32BE(33)
    expect(png.subarray(37, 41).toString('ascii')).toBe('IDAT')
    const rows = inflateSync(png.subarray(41, 41 + idatLength))
    expect(rows.length).toBe(48 * (48 * 4 + 1))
  })

  it('draw a white mark on blue; the plain icon has transparent corners, the maskable none', () => {
    const size = 64
    const pixel = (rgba: Uint8Array, x: number, y: number) => [...rgba.subarray((y * size + x) * 4, (y * size + x) * 4 + 4)]
    const plain = drawIcon(size)
    expect(pixel(plain, 0, 0)[3]).toBe(0)
    expect(pixel(plain, 4, 32)).toEqual([0x24, 0x56, 0xd3, 255])
    expect(pixel(plain, 32, 20)).toEqual([255, 255, 255, 255]) // on the arrow's shaft
    expect(pixel(drawIcon(size, true), 0, 0)).toEqual([0x24, 0x56, 0xd3, 255])
  })
})
