/**
 * The JSON API of the dashboard: handlers for each route, over the study caches. Every handler
 * reads through {@link StudyCaches}, so a study is loaded once and then only what changed.
 *
 * - `GET  /api/info`                              version, read-only or not
 * - `GET  /api/studies`                           every study with counts and best value
 * - `GET  /api/studies/:id`                       one study: parameters, metrics, attributes
 * - `DELETE /api/studies/:id`                     (writes) deletes the study
 * - `GET  /api/studies/:id/trials?…`              a filtered, sorted page of trials (see trial-query.ts)
 * - `GET  /api/studies/:id/trials/:number`        one trial with its intermediate values, attributes, log
 * - `POST /api/studies/:id/trials/:number/tell`   (writes) fails, prunes or completes a running trial
 * - `GET  /api/studies/:id/changes?since=V`       what changed since version V
 * - `GET  /api/studies/:id/events?since=V`        the same, pushed as server-sent events
 * - `GET  /api/studies/:id/plots/:kind?…`         a plot (see plots.ts)
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { InvalidArgumentError, TrialNotFoundError } from '../../core/errors.js';
import type { Storage } from '../../storages/base.js';
import { HttpError } from './http-error.js';
import type { LiveEvents } from './live-events.js';
import { studyEvent } from './live-events.js';
import type { PlotService } from './plots.js';
import { readJsonBody, sendJson, sendJsonText } from './respond.js';
import type { RouteParams } from './router.js';
import { Router } from './router.js';
import { trialDetail, trialRow } from './serializer.js';
import type { StudyCache, StudyCaches } from './study-cache.js';
import { readTrialLog } from './trial-log.js';
import { parseTrialQuery, runTrialQuery } from './trial-query.js';

/** What every handler sees. */
export interface ApiContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  readonly params: RouteParams;
  readonly app: ApiState;
}

/** The server's shared state. */
export interface ApiState {
  readonly storage: Storage;
  readonly caches: StudyCaches;
  readonly live: LiveEvents;
  readonly plots: PlotService;
  readonly allowWrites: boolean;
  readonly tokenRequired: boolean;
  readonly version: string;
  /** How stale (ms) the data a request reads may be. */
  readonly maxAgeMs: number;
}

/** A route handler. */
export interface ApiRoute {
  readonly write: boolean;
  readonly run: (ctx: ApiContext) => Promise<void>;
}

function studyIdOf(params: RouteParams): number {
  const raw = params.id ?? '';
  const id = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(id)) {
    throw new InvalidArgumentError(`study id must be a non-negative integer, got '${raw}'.`);
  }
  return id;
}

function trialNumberOf(params: RouteParams): number {
  const raw = params.number ?? '';
  if (!/^\d+$/.test(raw))
    throw new InvalidArgumentError(`trial number must be a non-negative integer, got '${raw}'.`);
  return Number(raw);
}

async function studyOf(ctx: ApiContext): Promise<StudyCache> {
  return ctx.app.caches.get(studyIdOf(ctx.params), ctx.app.maxAgeMs);
}

/** A study as the study list shows it. */
export function studyListItem(c: StudyCache): Record<string, unknown> {
  return {
    id: c.studyId,
    name: c.name,
    directions: c.directions,
    nTrials: c.trials.length,
    counts: c.counts,
    bestValue: c.bestValue,
    bestNumber: c.bestNumber,
    lastActivity: c.lastActivity === null ? null : new Date(c.lastActivity).toISOString(),
    version: c.version,
  };
}

const getInfo: ApiRoute = {
  write: false,
  run: async ({ req, res, app }) => {
    sendJson(req, res, 200, {
      version: app.version,
      allowWrites: app.allowWrites,
      tokenRequired: app.tokenRequired,
      plots: app.plots.kinds,
    });
  },
};

const listStudies: ApiRoute = {
  write: false,
  run: async ({ req, res, app }) => {
    const studies = await app.caches.all(app.maxAgeMs);
    sendJson(req, res, 200, { studies: studies.map(studyListItem) });
  },
};

const getStudy: ApiRoute = {
  write: false,
  run: async (ctx) => {
    const c = await studyOf(ctx);
    sendJson(ctx.req, ctx.res, 200, {
      ...studyListItem(c),
      metricNames: c.metricNames,
      params: Object.entries(c.distributions)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, distribution]) => ({ name, distribution })),
      userAttrs: c.userAttrs,
      plots: ctx.app.plots.kindsFor(c),
    });
  },
};

const deleteStudy: ApiRoute = {
  write: true,
  run: async (ctx) => {
    const c = await studyOf(ctx);
    await ctx.app.storage.deleteStudy(c.studyId);
    ctx.app.caches.forget(c.studyId);
    sendJson(ctx.req, ctx.res, 200, { deleted: { id: c.studyId, name: c.name } });
  },
};

const listTrials: ApiRoute = {
  write: false,
  run: async (ctx) => {
    const query = parseTrialQuery(ctx.url.searchParams);
    const c = await studyOf(ctx);
    const { total, page } = runTrialQuery(c.trials, query);
    sendJson(ctx.req, ctx.res, 200, {
      version: c.version,
      total,
      offset: query.offset,
      limit: query.limit,
      trials: page.map(trialRow),
    });
  },
};

async function trialOf(ctx: ApiContext): Promise<{ c: StudyCache; number: number }> {
  const number = trialNumberOf(ctx.params);
  const c = await studyOf(ctx);
  if (c.trial(number) === undefined) {
    throw new TrialNotFoundError(
      `study '${c.name}' has no trial number ${number} (it has ${c.trials.length}).`,
    );
  }
  return { c, number };
}

const getTrial: ApiRoute = {
  write: false,
  run: async (ctx) => {
    const { c, number } = await trialOf(ctx);
    const t = c.trial(number)!;
    sendJson(ctx.req, ctx.res, 200, trialDetail(t, await readTrialLog(t)));
  },
};

const tellTrial: ApiRoute = {
  write: true,
  run: async (ctx) => {
    const body = await readJsonBody(ctx.req);
    const { c, number } = await trialOf(ctx);
    await c.reload();
    const t = c.trial(number)!;
    const { state, values } = (body ?? {}) as { state?: unknown; values?: unknown };
    if (state !== 'fail' && state !== 'pruned' && state !== 'complete') {
      throw new InvalidArgumentError(
        `'state' must be fail, pruned or complete, got ${JSON.stringify(state)}.`,
      );
    }
    if (t.state !== 'running') {
      throw new HttpError(409, 'CONFLICT', `trial ${number} is ${t.state}; only running trials can be told.`);
    }
    let vals: number[] | null = null;
    if (state === 'complete') {
      if (!Array.isArray(values) || !values.every((v) => typeof v === 'number')) {
        throw new InvalidArgumentError(
          `'values' must be an array of numbers (one per objective) to complete a trial.`,
        );
      }
      vals = values as number[];
    }
    await ctx.app.storage.finishTrial(t.trialId, state, vals);
    await c.reload();
    sendJson(ctx.req, ctx.res, 200, trialRow(c.trial(number)!));
  },
};

function sinceOf(url: URL): number {
  const raw = url.searchParams.get('since') ?? '0';
  if (!/^\d+$/.test(raw)) throw new InvalidArgumentError(`'since' must be a version number, got '${raw}'.`);
  return Number(raw);
}

const getChanges: ApiRoute = {
  write: false,
  run: async (ctx) => {
    const since = sinceOf(ctx.url);
    const c = await studyOf(ctx);
    const event = studyEvent(c, since);
    sendJson(ctx.req, ctx.res, 200, {
      ...event,
      trials: event.reset ? [] : event.changed.map((n) => trialRow(c.trial(n)!)),
    });
  },
};

const streamEvents: ApiRoute = {
  write: false,
  run: async (ctx) => {
    const since = sinceOf(ctx.url);
    const c = await studyOf(ctx);
    ctx.app.live.subscribe(c.studyId, ctx.res, since);
  },
};

const getPlot: ApiRoute = {
  write: false,
  run: async (ctx) => {
    const c = await studyOf(ctx);
    const kind = ctx.params.kind ?? '';
    const { json, key } = await ctx.app.plots.plot(c, kind, ctx.url.searchParams);
    sendJsonText(ctx.req, ctx.res, 200, json, key);
  },
};

/** The API's routes. */
export function apiRouter(): Router<ApiRoute> {
  return new Router<ApiRoute>()
    .add('GET', '/api/info', getInfo)
    .add('GET', '/api/studies', listStudies)
    .add('GET', '/api/studies/:id', getStudy)
    .add('DELETE', '/api/studies/:id', deleteStudy)
    .add('GET', '/api/studies/:id/trials', listTrials)
    .add('GET', '/api/studies/:id/trials/:number', getTrial)
    .add('POST', '/api/studies/:id/trials/:number/tell', tellTrial)
    .add('GET', '/api/studies/:id/changes', getChanges)
    .add('GET', '/api/studies/:id/events', streamEvents)
    .add('GET', '/api/studies/:id/plots/:kind', getPlot);
}

/** Runs an API request (routing, read-only check); errors propagate to the server. */
export async function handleApi(
  router: Router<ApiRoute>,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  app: ApiState,
): Promise<void> {
  const { handler, params } = router.match(req.method ?? 'GET', url.pathname);
  if (handler.write && !app.allowWrites) {
    throw new HttpError(
      403,
      'READ_ONLY',
      'this dashboard is read-only; start it with --allow-writes to delete studies or tell trials.',
    );
  }
  await handler.run({ req, res, url, params, app });
}
