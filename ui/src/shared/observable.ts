// A value several parts of the window read and one part writes (the session in front, a
// session to bring forward), with a hook that re-renders its readers when it changes.
import { useSyncExternalStore } from "react";

/** A value with listeners. */
export class Observable<T> {
  private readonly listeners = new Set<() => void>();

  constructor(private value: T) {}

  /** The current value (stable between changes, as `useSyncExternalStore` needs). */
  readonly get = (): T => this.value;

  /** Replaces the value and tells every listener, unless it is the same value. */
  set(value: T): void {
    if (Object.is(value, this.value)) return;
    this.value = value;
    // A listener may set the value again or unsubscribe; iterate over a copy.
    for (const listener of [...this.listeners]) listener();
  }

  /** Calls `listener` after every change. Returns the unsubscribe. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };
}

/** The observable's value; the caller re-renders when it changes. */
export function useObservable<T>(observable: Observable<T>): T {
  return useSyncExternalStore(observable.subscribe, observable.get);
}
