/**
 * Live updates as server-sent events. A client of `GET /api/studies/:id/events` receives a
 * `study` event whenever the study changed: its new version, counts by state, and the numbers of
 * the trials that changed since the version the client last got (or `reset: true` when too much
 * changed to list), so the page refetches only what changed. The study is polled only while
 * someone listens, once per `pollMs` for all of its listeners together.
 * @module
 */
import type { ServerResponse } from 'node:http';
import type { StateCounts, StudyCache, StudyCaches } from './study-cache.js';

/** The payload of a `study` event. */
export interface StudyEvent {
  version: number;
  nTrials: number;
  counts: StateCounts;
  bestValue: number | null;
  /** Numbers of the trials that changed since the client's last version (at most 500). */
  changed: number[];
  /** True when the changes are too many or too old to list: refetch everything. */
  reset: boolean;
}

/** The most changed trial numbers listed in one event. */
const MAX_LISTED = 500;

interface Listener {
  readonly res: ServerResponse;
  version: number;
}

interface Channel {
  readonly listeners: Set<Listener>;
  timer: NodeJS.Timeout | null;
  polling: boolean;
}

/** Builds the event a listener at `since` should get from `cache`. */
export function studyEvent(cache: StudyCache, since: number): StudyEvent {
  const changed = cache.changesSince(since);
  const reset = changed === null || changed.length > MAX_LISTED;
  return {
    version: cache.version,
    nTrials: cache.trials.length,
    counts: cache.counts,
    bestValue: cache.bestValue,
    changed: reset ? [] : changed,
    reset,
  };
}

/** Listeners of every study, with one poll timer per study that has any. */
export class LiveEvents {
  private readonly channels = new Map<number, Channel>();

  constructor(
    private readonly caches: StudyCaches,
    private readonly pollMs: number,
    private readonly keepAliveMs = 15_000,
  ) {}

  /** Starts streaming study `studyId` to `res`; the client holds `since` (0: nothing). */
  subscribe(studyId: number, res: ServerResponse, since: number): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(`retry: ${Math.max(1000, this.pollMs)}\n\n`);
    let channel = this.channels.get(studyId);
    if (channel === undefined) {
      channel = { listeners: new Set(), timer: null, polling: false };
      this.channels.set(studyId, channel);
    }
    const listener: Listener = { res, version: since };
    channel.listeners.add(listener);
    const ch = channel;
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), this.keepAliveMs);
    keepAlive.unref();
    res.on('close', () => {
      clearInterval(keepAlive);
      ch.listeners.delete(listener);
      if (ch.listeners.size === 0) {
        if (ch.timer !== null) clearInterval(ch.timer);
        this.channels.delete(studyId);
      }
    });
    if (ch.timer === null) {
      ch.timer = setInterval(() => void this.poll(studyId, ch), this.pollMs);
      ch.timer.unref();
    }
    void this.poll(studyId, ch);
  }

  /** Ends every stream (server shutdown). */
  closeAll(): void {
    for (const ch of this.channels.values()) {
      if (ch.timer !== null) clearInterval(ch.timer);
      for (const l of ch.listeners) l.res.end();
    }
    this.channels.clear();
  }

  /** Number of open streams (for tests). */
  get size(): number {
    let n = 0;
    for (const ch of this.channels.values()) n += ch.listeners.size;
    return n;
  }

  private async poll(studyId: number, ch: Channel): Promise<void> {
    if (ch.polling) return;
    ch.polling = true;
    try {
      const cache = await this.caches.get(studyId, 0);
      for (const l of ch.listeners) {
        if (l.version === cache.version) continue;
        const event = studyEvent(cache, l.version);
        l.version = cache.version;
        l.res.write(`event: study\ndata: ${JSON.stringify(event)}\n\n`);
      }
    } catch {
      for (const l of ch.listeners) l.res.write(`event: gone\ndata: {}\n\n`);
    } finally {
      ch.polling = false;
    }
  }
}
