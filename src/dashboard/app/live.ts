/// <reference lib="dom" />
/**
 * Live updates: listens to a study's server-sent events and calls back with each change. The
 * browser reconnects by itself; the `since` version makes the server send only what changed.
 * @module
 */
import type { StudyEvent } from './types.js';

/** A running subscription. */
export interface Subscription {
  close(): void;
}

/** Calls `onChange` with every change of study `id` after `version`. */
export function subscribeStudy(
  id: number,
  version: () => number,
  onChange: (e: StudyEvent) => void,
  onStatus: (connected: boolean) => void,
): Subscription {
  let source: EventSource | null = null;
  let closed = false;
  const open = (): void => {
    source = new EventSource(`/api/studies/${id}/events?since=${version()}`);
    source.addEventListener('open', () => onStatus(true));
    source.addEventListener('error', () => {
      onStatus(false);
      // Reopen with the current version rather than the one the URL was built with.
      if (!closed && source?.readyState === EventSource.CLOSED) setTimeout(open, 2000);
    });
    source.addEventListener('study', (ev) => {
      onChange(JSON.parse((ev as MessageEvent<string>).data) as StudyEvent);
    });
  };
  open();
  return {
    close: () => {
      closed = true;
      source?.close();
    },
  };
}
