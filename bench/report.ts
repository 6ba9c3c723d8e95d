// One line per figure: what was measured, the number with its unit, and the
// floor from the same run that it should be read against.

export function figure(name: string, value: number, unit: string, floor?: string): void {
  const shown = value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toPrecision(3)
  const line = `${name.padEnd(62)} ${shown.padStart(12)} ${unit}`
  console.log(floor === undefined ? line : `${line}   (floor: ${floor})`)
}

export function section(title: string): void {
  console.log(`\n# ${title}`)
}
