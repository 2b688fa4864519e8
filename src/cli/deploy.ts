import { existsSync } from 'node:fs';
import { CONFIG_DEFAULTS, ConfigError, configToModel, loadConfigFile } from '../config/index.js';
import type { GatewayModel } from '../model/types.js';
import type { CliIo } from './io.js';
import type { AdminClient } from './admin-client.js';
import {
  CONTROL_OPTIONS_HELP,
  onePositional,
  parseControlArgs,
  printJson,
  reportAdminErrors,
  withClient,
} from './control-options.js';
import { syncApi } from './deploy-apis.js';
import { ChangeLog, renderChanges } from './deploy-changes.js';
import { getDomainNames, syncDomain } from './deploy-domains.js';
import { syncFunction } from './deploy-functions.js';
import { getApis } from './wire-calls.js';

/** Help text of `portico deploy`. */
export const DEPLOY_HELP = `Usage: portico deploy FILE [options]

Applies a config file (the --config format, see docs/configuration.md) to a running Portico through
its control plane: functions first (CreateFunction / UpdateFunctionCode / UpdateFunctionConfiguration),
then each API with its integrations, routes and stages, and a deployment for every stage whose content
changed, then each domain name with its API mappings. The file is validated locally first. Running it
again with the same file changes nothing.

An API created by deploy carries the tag portico:config-id=<its key in the file>; deploy updates that
API on later runs and deletes its routes, integrations and stages that the file no longer has. APIs,
functions and domain names missing from the file are left alone; a domain's API mappings that the file
no longer has are deleted.

Options:
  --json               print the list of changes as JSON
${CONTROL_OPTIONS_HELP}`;

/** Applies a validated model; returns what changed. */
export async function deployModel(
  client: AdminClient,
  model: GatewayModel,
  settings: { accountId: string },
  log: ChangeLog = new ChangeLog(),
): Promise<ChangeLog> {
  const functionArns = new Map<string, string>();
  // Functions first: AWS_PROXY integrations point at their ARNs.
  for (const fn of model.functions) {
    const arn = await syncFunction(client, fn, settings.accountId, log);
    if (arn !== undefined) functionArns.set(fn.functionName, arn);
  }
  const remoteApis = model.apis.length > 0 ? await getApis(client) : [];
  const apiIds = new Map<string, string>();
  for (const api of model.apis) {
    apiIds.set(api.apiId, await syncApi(client, api, remoteApis, functionArns, log));
  }
  // Domains last: their mappings point at the APIs' server ids and need the stages to exist.
  const remoteDomains = model.domainNames.length > 0 ? await getDomainNames(client) : [];
  for (const domain of model.domainNames) await syncDomain(client, domain, remoteDomains, apiIds, log);
  return log;
}

/** `portico deploy FILE` */
export async function runDeploy(args: string[], io: CliIo): Promise<number> {
  const parsed = parseControlArgs(args, io.env);
  if (parsed.help) {
    io.out(DEPLOY_HELP);
    return 0;
  }
  const file = onePositional(parsed, 'missing FILE');
  let model: GatewayModel;
  let accountId: string;
  try {
    const loaded = await loadConfigFile(file);
    accountId = loaded.config.settings?.accountId ?? CONFIG_DEFAULTS.accountId;
    const region = loaded.config.settings?.region ?? parsed.region;
    model = configToModel(loaded.file, loaded.config, { region, accountId });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.err(`portico deploy: ${err.message}\n`);
    return 1;
  }
  const missing = model.functions.find((f) => !existsSync(f.codeDir));
  if (missing) {
    io.err(
      `portico deploy: ${file}: functions.${missing.functionName}.code: ${missing.codeDir} does not exist\n`,
    );
    return 1;
  }
  const log = new ChangeLog();
  const code = await reportAdminErrors(io, 'deploy', async () => {
    await withClient(parsed, io, (client) => deployModel(client, model, { accountId }, log));
    return 0;
  });
  // On a failure, still say what was changed before it.
  if (parsed.json) printJson(io, log.changes);
  else if (code === 0 || log.changes.length > 0) io.out(renderChanges(log.changes));
  return code;
}
