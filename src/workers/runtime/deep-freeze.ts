// Messages and saved log entries are read-only once they leave a handler. In a
// real network a sent message is a copy; in the simulator it is the same object,
// so freezing it keeps the two runtimes honest: code that would change a message
// after sending it, or a saved entry in place, fails at once in both.

export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value
  Object.freeze(value)
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) deepFreeze(value[i])
  } else {
    for (const key in value) deepFreeze((value as Record<string, unknown>)[key])
  }
  return value
}
