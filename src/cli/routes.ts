import type { CliIo } from './io.js';
import { CONTROL_OPTIONS_HELP, onePositional, parseControlArgs, printListing } from './control-options.js';
import { cell, tableOrEmpty } from './table.js';
import {
  getIntegrations,
  getRoutes,
  targetIntegrationId,
  type WireIntegration,
  type WireRoute,
} from './wire-calls.js';

/** Help text of `portico routes`. */
export const ROUTES_HELP = `Usage: portico routes API_ID [options]

Lists the routes of an API (apigatewayv2 GetRoutes) and what each one calls (GetIntegrations).

Options:
  --json               print {routes, integrations} as JSON
${CONTROL_OPTIONS_HELP}`;

/** What a route calls, in a few words: `HTTP_PROXY ANY http://...` or `AWS_PROXY function hello`. */
export function describeIntegration(
  integration: WireIntegration | undefined,
  id: string | undefined,
): string {
  if (id === undefined) return '-';
  if (!integration) return `integrations/${id} (missing)`;
  const uri = integration.integrationUri ?? '';
  // Lambda ARNs (plain or the apigateway invocations form) read better as the function name.
  const fn = /:function:([^:/]+)(?::([^/]+))?(?:\/invocations)?$/.exec(uri);
  if (integration.integrationType === 'AWS_PROXY' && fn) {
    return `AWS_PROXY function ${fn[1] as string}${fn[2] ? `:${fn[2]}` : ''}`;
  }
  const method = integration.integrationMethod ? ` ${integration.integrationMethod}` : '';
  return `${integration.integrationType}${method}${uri === '' ? '' : ` ${uri}`}`;
}

/** The `portico routes` table, sorted by route key. */
export function renderRoutes(routes: readonly WireRoute[], integrations: readonly WireIntegration[]): string {
  const byId = new Map(integrations.map((i) => [i.integrationId, i]));
  const rows = [...routes]
    .sort((a, b) => (a.routeKey < b.routeKey ? -1 : a.routeKey > b.routeKey ? 1 : 0))
    .map((r) => {
      const id = targetIntegrationId(r.target);
      return [
        r.routeId,
        r.routeKey,
        cell(r.authorizationType ?? 'NONE'),
        cell(id),
        describeIntegration(id === undefined ? undefined : byId.get(id), id),
      ];
    });
  return tableOrEmpty(['ROUTE ID', 'ROUTE KEY', 'AUTH', 'INTEGRATION', 'TARGET'], rows, 'No routes.');
}

/** `portico routes API_ID` */
export async function runRoutes(args: string[], io: CliIo): Promise<number> {
  const parsed = parseControlArgs(args, io.env);
  if (parsed.help) {
    io.out(ROUTES_HELP);
    return 0;
  }
  const apiId = onePositional(parsed, 'missing API_ID (see portico apis)');
  return printListing(
    parsed,
    io,
    'routes',
    (client) => Promise.all([getRoutes(client, apiId), getIntegrations(client, apiId)]),
    ([routes, integrations]) => renderRoutes(routes, integrations),
    ([routes, integrations]) => ({ routes, integrations }),
  );
}
