// Framing on the node-to-node TCP connections: each frame is a 4-byte
// big-endian length and that many bytes of JSON. The first frame on a
// connection must be the hello, with the run's secret; a connection that does
// not present it is closed before anything else is read.

import type { Envelope } from '../../shared/envelope'

/** Frames larger than this are refused: no legitimate message comes near it. */
export const frameBytesMax = 16 * 1024 * 1024

export interface Hello {
  hello: string
  secret: string
}

/** A message on the wire: the envelope and the id that pairs its send with its receipt. */
export interface WireMessage {
  mid: number
  envelope: Envelope
}

export function encodeFrame(value: unknown): Buffer {
  const json = Buffer.from(JSON.stringify(value), 'utf8')
  const frame = Buffer.allocUnsafe(4 + json.length)
  frame.writeUInt32BE(json.length, 0)
  json.copy(frame, 4)
  return frame
}

/** Accumulates bytes from a socket and yields whole frames, parsed. */
export class FrameReader {
  private buffered: Buffer = Buffer.alloc(0)

  /** Adds `chunk`; returns the frames it completed. Throws on a frame too large or not JSON. */
  push(chunk: Buffer): unknown[] {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk])
    const frames: unknown[] = []
    let offset = 0
    while (this.buffered.length - offset >= 4) {
      const length = this.buffered.readUInt32BE(offset)
      if (length > frameBytesMax) throw new Error(`a frame of ${length} bytes is over the limit`)
      if (this.buffered.length - offset - 4 < length) break
      const json = this.buffered.toString('utf8', offset + 4, offset + 4 + length)
      frames.push(JSON.parse(json) as unknown)
      offset += 4 + length
    }
    this.buffered =
      offset === this.buffered.length ? Buffer.alloc(0) : this.buffered.subarray(offset)
    return frames
  }
}

export function isHello(value: unknown): value is Hello {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Hello).hello === 'string' &&
    typeof (value as Hello).secret === 'string'
  )
}

export function isWireMessage(value: unknown): value is WireMessage {
  if (typeof value !== 'object' || value === null) return false
  const { mid, envelope } = value as WireMessage
  return (
    typeof mid === 'number' &&
    typeof envelope === 'object' &&
    envelope !== null &&
    typeof envelope.src === 'string' &&
    typeof envelope.dest === 'string' &&
    typeof envelope.body === 'object' &&
    envelope.body !== null &&
    typeof envelope.body.type === 'string'
  )
}
