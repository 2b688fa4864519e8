import { type CliIo, UsageError } from './io.js';
import { wirePath } from './admin-client.js';
import {
  CONTROL_OPTIONS_HELP,
  onePositional,
  parseControlArgs,
  reportAdminErrors,
  withClient,
} from './control-options.js';

/** Help text of `portico export`. */
export const EXPORT_HELP = `Usage: portico export API_ID [options]

Prints an API's OpenAPI 3.0 definition (apigatewayv2 ExportApi) to stdout.

Options:
  --format F           yaml (default) or json
  --stage S            export what that stage serves (default: the API's current definition)
  --no-extensions      leave out the x-amazon-apigateway-* extensions
${CONTROL_OPTIONS_HELP}`;

/** `portico export API_ID` */
export async function runExport(args: string[], io: CliIo): Promise<number> {
  const parsed = parseControlArgs(args, io.env, {
    format: { type: 'string' },
    stage: { type: 'string' },
    'no-extensions': { type: 'boolean' },
  });
  if (parsed.help) {
    io.out(EXPORT_HELP);
    return 0;
  }
  const apiId = onePositional(parsed, 'missing API_ID (see portico apis)');
  const format = String(parsed.values.format ?? 'yaml').toLowerCase();
  if (format !== 'yaml' && format !== 'json')
    throw new UsageError(`--format must be yaml or json, got "${format}"`);
  const stage = parsed.values.stage;
  return reportAdminErrors(io, 'export', async () => {
    // ExportApi: GET /v2/apis/{apiId}/exports/OAS30?outputType=YAML|JSON (reference §6.2).
    const reply = await withClient(parsed, io, (client) =>
      client.send({
        service: 'apigateway',
        method: 'GET',
        path: wirePath('v2', 'apis', apiId, 'exports', 'OAS30'),
        query: {
          outputType: format.toUpperCase(),
          ...(typeof stage === 'string' ? { stageName: stage } : {}),
          ...(parsed.values['no-extensions'] === true ? { includeExtensions: 'false' } : {}),
        },
      }),
    );
    const text = reply.body.toString('utf8');
    io.out(text.endsWith('\n') ? text : `${text}\n`);
    return 0;
  });
}
