// Which rows of a long list to draw: only those in view, and a few either
// side so that scrolling shows no gap. Rows have one fixed height, so the
// list's full height and every row's place follow from the row count alone.

export interface RowWindow {
  /** The first row to draw, and one past the last. */
  first: number
  end: number
}

/** Rows drawn beyond the viewport on each side. */
export const overscanRows = 8

export function rowWindow(
  scrollTopPx: number,
  viewportPx: number,
  rowPx: number,
  count: number,
): RowWindow {
  if (count === 0 || rowPx <= 0) return { first: 0, end: 0 }
  const top = Math.max(0, Math.floor(scrollTopPx / rowPx) - overscanRows)
  const inView = Math.ceil(Math.max(viewportPx, 0) / rowPx) + 1
  const first = Math.min(top, count - 1)
  return { first, end: Math.min(count, first + inView + 2 * overscanRows) }
}
