/**
 * A screen grab without ImageMagick: Xvfb's `-fbdir` keeps its screen as an
 * XWD file (`Xvfb_screen0`); this reads a region of it, trims the empty screen
 * around what is drawn there, adds a margin and writes a PNG (node:zlib only).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

type Rgb = [number, number, number];

/** The pixels of an XWD screen dump (ZPixmap, 32 bits per pixel, as Xvfb writes at depth 24). */
export function readXwd(file: string): { width: number; height: number; pixel(x: number, y: number): Rgb } {
  const b = readFileSync(file);
  const u32 = (i: number) => b.readUInt32BE(i * 4);
  const [headerSize, , format, , width, height, , byteOrder, , , , bitsPerPixel, bytesPerLine] = Array.from({ length: 13 }, (_, i) => u32(i)) as number[];
  if (format !== 2 || bitsPerPixel !== 32) throw new Error(`${file}: an XWD screen of ${bitsPerPixel} bits per pixel, format ${format}; expected ZPixmap at 32`);
  const data = headerSize! + u32(19) * 12; // the header, then ncolors colormap entries
  return {
    width: width!,
    height: height!,
    pixel(x, y) {
      const v = byteOrder === 0 ? b.readUInt32LE(data + y * bytesPerLine! + x * 4) : b.readUInt32BE(data + y * bytesPerLine! + x * 4);
      return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
    },
  };
}

const CRC = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) c = (CRC[(c ^ byte) & 255] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** An RGB PNG of `width` x `height` from `pixel(x, y)`. */
export function encodePng(width: number, height: number, pixel: (x: number, y: number) => Rgb): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) raw.set(pixel(x, y), y * (width * 3 + 1) + 1 + x * 3);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/**
 * Writes what is drawn in `region` of the screen dump as a PNG, trimmed to it
 * (pixels unlike the region's top-left one) with `margin` px of `background`
 * around. Returns the PNG's size; 0 x 0 when nothing is drawn there.
 */
export function grabRegion(xwdFile: string, region: Region, out: string, margin: number, background: Rgb): { width: number; height: number } {
  const screen = readXwd(xwdFile);
  const empty = screen.pixel(region.x, region.y).join();
  let [x0, y0, x1, y1] = [Infinity, Infinity, -1, -1];
  for (let y = region.y; y < Math.min(screen.height, region.y + region.height); y++)
    for (let x = region.x; x < Math.min(screen.width, region.x + region.width); x++)
      if (screen.pixel(x, y).join() !== empty) [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
  if (x1 < 0) return { width: 0, height: 0 };
  const width = x1 - x0 + 1 + 2 * margin;
  const height = y1 - y0 + 1 + 2 * margin;
  writeFileSync(
    out,
    encodePng(width, height, (x, y) => {
      const [sx, sy] = [x0 + x - margin, y0 + y - margin];
      return sx < x0 || sx > x1 || sy < y0 || sy > y1 || screen.pixel(sx, sy).join() === empty ? background : screen.pixel(sx, sy);
    }),
  );
  return { width, height };
}
