import type { CliIo } from './io.js';
import { CONTROL_OPTIONS_HELP, noPositionals, parseControlArgs, printListing } from './control-options.js';
import { cell, tableOrEmpty } from './table.js';
import { SOURCE_TAG } from './deploy-apis.js';
import { getApis, getStages, type WireApi, type WireStage } from './wire-calls.js';

/** Help text of `portico apis`. */
export const APIS_HELP = `Usage: portico apis [options]

Lists the APIs of a running Portico (apigatewayv2 GetApis), with their stages.

Options:
  --json               print the GetApis items (each with its stages) as JSON
${CONTROL_OPTIONS_HELP}`;

/** An API with its stages, as `portico apis` shows it. */
export interface ApiListing {
  api: WireApi;
  stages: WireStage[];
}

/**
 * The `portico apis` table. SOURCE says whether an API comes from the server's config file (Portico
 * tags those `portico:source=config-file`; they are read-only through the API) or the control plane.
 */
export function renderApis(listings: readonly ApiListing[]): string {
  const headers = ['API ID', 'NAME', 'PROTOCOL', 'STAGES', 'ENDPOINT', 'SOURCE'];
  const rows = listings.map(({ api, stages }) => [
    api.apiId,
    cell(api.name),
    cell(api.protocolType),
    cell(stages.map((s) => s.stageName).join(',')),
    cell(api.apiEndpoint),
    api.tags?.[SOURCE_TAG] === 'config-file' ? 'config file' : 'control plane',
  ]);
  return tableOrEmpty(headers, rows, 'No APIs.');
}

/** `portico apis` */
export async function runApis(args: string[], io: CliIo): Promise<number> {
  const parsed = parseControlArgs(args, io.env);
  if (parsed.help) {
    io.out(APIS_HELP);
    return 0;
  }
  noPositionals(parsed);
  return printListing(
    parsed,
    io,
    'apis',
    async (client) => {
      const apis = await getApis(client);
      return Promise.all(apis.map(async (api) => ({ api, stages: await getStages(client, api.apiId) })));
    },
    renderApis,
    (listings) => listings.map(({ api, stages }) => ({ ...api, stages })),
  );
}
