// Messages in flight, for the cluster view's canvas. They live outside React's
// state: a busy cluster sends hundreds a second, and the canvas reads them
// every frame. Real-time messages on 127.0.0.1 arrive in well under a
// millisecond, so each is drawn travelling for `flightMs`: long enough to see,
// short enough that the view never falls behind the run.

import type { NodeId } from '../shared/envelope'

/** How long a message is drawn travelling along its link. */
export const flightMs = 400
/** How long a dropped message stays drawn where it was lost. */
export const dropFadeMs = 500
/** Messages kept at most; past this the oldest are forgotten. */
export const flightsMax = 2_000

export interface Flight {
  mid: number
  src: NodeId
  dest: NodeId
  type: string
  /** performance.now() when the page learned of the send. */
  bornMs: number
  /** performance.now() when it was dropped, if it was. */
  droppedMs: number | null
}

export class FlightBoard {
  private flights: Flight[] = []
  private byMid = new Map<number, Flight>()

  send(mid: number, src: NodeId, dest: NodeId, type: string, nowMs: number): void {
    const flight: Flight = { mid, src, dest, type, bornMs: nowMs, droppedMs: null }
    this.flights.push(flight)
    this.byMid.set(mid, flight)
    if (this.flights.length > flightsMax) {
      const gone = this.flights.splice(0, this.flights.length - flightsMax)
      for (const old of gone) this.byMid.delete(old.mid)
    }
  }

  /** A drop seen without its send (sampled out) is drawn from the middle of the link. */
  drop(mid: number, src: NodeId, dest: NodeId, type: string, nowMs: number): void {
    const flight = this.byMid.get(mid)
    if (flight !== undefined) {
      flight.droppedMs = nowMs
      return
    }
    this.send(mid, src, dest, type, nowMs - flightMs / 2)
    const added = this.byMid.get(mid)
    if (added !== undefined) added.droppedMs = nowMs
  }

  /** The flights still worth drawing; forgets the rest. */
  live(nowMs: number): readonly Flight[] {
    let first = 0
    while (first < this.flights.length && this.finished(this.flights[first], nowMs)) first++
    if (first > 0) {
      for (const old of this.flights.slice(0, first)) this.byMid.delete(old.mid)
      this.flights = this.flights.slice(first)
    }
    return this.flights
  }

  clear(): void {
    this.flights = []
    this.byMid.clear()
  }

  private finished(flight: Flight, nowMs: number): boolean {
    if (flight.droppedMs !== null) return nowMs - flight.droppedMs > dropFadeMs
    return nowMs - flight.bornMs > flightMs
  }
}
