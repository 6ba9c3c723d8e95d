// A 2D context that draws nothing and counts what it was asked to draw: the
// timeline's tests read what a frame drew from it, and the benchmark times the
// drawing code against it (so it measures our code, not a GPU).

import type { Canvas2D } from '../../src/renderer/timeline/draw'

export class RecordingContext implements Canvas2D {
  fillStyle: unknown = '#000'
  strokeStyle: unknown = '#000'
  lineWidth = 1
  globalAlpha = 1
  font = ''
  textAlign = 'left'
  textBaseline = 'alphabetic'
  /** Path operations (moveTo, lineTo, rect) since the context was made. */
  pathOps = 0
  fills = 0
  strokes = 0
  /** Texts drawn, in order. */
  texts: string[] = []
  /** Line segments stroked, by stroke colour. */
  segmentsByColour = new Map<string, number>()
  /** Rectangles filled at once (fillRect), by fill colour. */
  rectsByColour = new Map<string, number>()
  private segments = 0

  save(): void {}
  restore(): void {}
  clearRect(): void {}
  fillRect(): void {
    this.fills++
    const colour = String(this.fillStyle)
    this.rectsByColour.set(colour, (this.rectsByColour.get(colour) ?? 0) + 1)
  }
  beginPath(): void {
    this.segments = 0
  }
  rect(): void {
    this.pathOps++
  }
  clip(): void {}
  moveTo(): void {
    this.pathOps++
  }
  lineTo(): void {
    this.pathOps++
    this.segments++
  }
  stroke(): void {
    this.strokes++
    const colour = String(this.strokeStyle)
    this.segmentsByColour.set(colour, (this.segmentsByColour.get(colour) ?? 0) + this.segments)
  }
  fill(): void {
    this.fills++
  }
  fillText(text: string): void {
    this.texts.push(text)
  }
  setLineDash(): void {}
}

export const testPalette = {
  background: 'background',
  foreground: 'foreground',
  muted: 'muted',
  grid: 'grid',
  message: 'message',
  drop: 'drop',
  cut: 'cut',
  accent: 'accent',
  roles: {
    leader: 'leader',
    candidate: 'candidate',
    follower: 'follower',
    other: 'other',
    dead: 'dead',
    paused: 'paused',
  },
}
