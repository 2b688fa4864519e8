import type { IntegrationResponse } from '../integrations/integration.js';
import type { RequestContext } from './context.js';

/**
 * The fixed phases of a request, in order. Route matching happens before them (in the server);
 * `integrate` and `respond` are run by the server around the route's own stages.
 */
export const PHASES = [
  'authenticate',
  'authorize',
  'throttle',
  'validate',
  'transformRequest',
  'integrate',
  'transformResponse',
  'respond',
] as const;

/** A phase name. */
export type Phase = (typeof PHASES)[number];

/** One step of a route's pipeline. Returning a response short-circuits the rest. */
export interface PipelineStage {
  readonly name: string;
  readonly phase: Phase;
  run(ctx: RequestContext): Promise<IntegrationResponse | undefined> | IntegrationResponse | undefined;
}

/** Builds a route's stage for one capability, or nothing when the route does not use it. */
export type StageFactory<RouteInfo> = (route: RouteInfo) => PipelineStage | undefined;

/** Orders stages by phase (stable within a phase). */
export function orderStages(stages: PipelineStage[]): PipelineStage[] {
  return stages
    .map((s, i) => ({ s, i }))
    .sort((a, b) => PHASES.indexOf(a.s.phase) - PHASES.indexOf(b.s.phase) || a.i - b.i)
    .map(({ s }) => s);
}

/** Runs the stages before the integration; returns a short-circuit response if one answered. */
export async function runStages(
  stages: readonly PipelineStage[],
  ctx: RequestContext,
): Promise<IntegrationResponse | undefined> {
  for (let i = 0; i < stages.length; i++) {
    const out = await (stages[i] as PipelineStage).run(ctx);
    if (out) return out;
  }
  return undefined;
}
