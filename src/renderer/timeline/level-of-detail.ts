// What a frame draws of the rows in view: each message as an arrow while
// there are few enough to tell apart, and past that, per lane, a density band
// (the weight of messages sent in each bin of a few pixels). A band costs two
// binary searches per bin whatever the number of events, so a frame over a
// million events costs what a frame over a thousand does.

import { lowerBound, weightBetween } from './table'

/** Arrows drawn at most in one frame. */
export const arrowsDrawnMax = 4_000
/**
 * Arrows per pixel of width at most: past one per five pixels, arrows that
 * cross between lanes are a smear, not arrows (seen in the end-to-end
 * screenshots of a 5-node cluster).
 */
export const arrowsPerPxMax = 0.2
/** Pixels per density bin. */
export const binPx = 2

export type Detail = 'arrows' | 'density'

export function detailFor(messagesInView: number, plotWidthPx: number): Detail {
  return messagesInView <= Math.min(arrowsDrawnMax, plotWidthPx * arrowsPerPxMax)
    ? 'arrows'
    : 'density'
}

/** The rows [from, to) of a table keyed by time with fromMs <= key < toMs. */
export function rowsBetween(
  table: { columns: { key: Float64Array }; length: number },
  fromMs: number,
  toMs: number,
): { from: number; to: number } {
  const keys = table.columns.key
  return { from: lowerBound(keys, table.length, fromMs), to: lowerBound(keys, table.length, toMs) }
}

/**
 * The weight of rows in each of `bins` bins of `binMs` from `fromMs`, into
 * `into` (grown by the caller); returns the largest.
 */
export function binWeights(
  table: {
    columns: { key: Float64Array; weight: Float64Array }
    length: number
    weightBefore: number
  },
  fromMs: number,
  binMs: number,
  bins: number,
  into: Float64Array,
): number {
  const keys = table.columns.key
  let largest = 0
  let row = lowerBound(keys, table.length, fromMs)
  for (let bin = 0; bin < bins; bin++) {
    const next = lowerBound(keys, table.length, fromMs + (bin + 1) * binMs)
    const weight = weightBetween(table, row, next)
    into[bin] = weight
    if (weight > largest) largest = weight
    row = next
  }
  return largest
}

/**
 * A band's height for a bin's weight: logarithmic, so that one message in a
 * quiet bin still shows beside a thousand in a busy one.
 */
export function bandHeight(weight: number, largest: number, fullPx: number): number {
  if (weight <= 0 || largest <= 0) return 0
  return Math.max(1, (fullPx * Math.log1p(weight)) / Math.log1p(largest))
}
